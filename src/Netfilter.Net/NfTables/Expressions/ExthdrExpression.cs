using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// exthdr: reads, writes or removes an IPv6 extension header, a TCP/IPv4 option, an SCTP chunk or
/// a DCCP option. Debug text: <c>[ exthdr load tcpopt 2b @ 2 + 2 =&gt; reg 1 ]</c>,
/// <c>[ exthdr write tcpopt reg 1 =&gt; 2b @ 2 + 2 ]</c>, <c>[ exthdr reset tcpopt 4 ]</c>.
/// Every attribute but the type is kept only when present: nft sends no flags for a write and
/// only type and op for a reset, while the kernel dumps everything (and refuses it back: see
/// the encoder).
/// </summary>
public sealed class ExthdrExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_exthdr_attributes
    private const ushort AttrDreg = 1;   // NFTA_EXTHDR_DREG
    private const ushort AttrType = 2;   // NFTA_EXTHDR_TYPE (u8)
    private const ushort AttrOffset = 3; // NFTA_EXTHDR_OFFSET
    private const ushort AttrLen = 4;    // NFTA_EXTHDR_LEN
    private const ushort AttrFlags = 5;  // NFTA_EXTHDR_FLAGS
    private const ushort AttrOp = 6;     // NFTA_EXTHDR_OP
    private const ushort AttrSreg = 7;   // NFTA_EXTHDR_SREG

    private ExthdrExpression(byte type)
    {
        Type = type;
    }

    /// <summary>
    /// Loads <paramref name="length"/> bytes at <paramref name="offset"/> of header/option <paramref name="type"/>
    /// into <paramref name="destination"/>; with <paramref name="present"/>, loads 1 if it exists, 0 otherwise.
    /// </summary>
    public static ExthdrExpression Load(ExthdrOp op, byte type, uint offset, uint length, Register destination, bool present = false) =>
        new(type) { Op = op, Offset = offset, Length = length, Destination = destination, Flags = present ? ExthdrFlags.Present : ExthdrFlags.None };

    /// <summary>Writes <paramref name="source"/> into the option (nft "tcp option maxseg size set 1360").</summary>
    public static ExthdrExpression Write(ExthdrOp op, byte type, uint offset, uint length, Register source) =>
        new(type) { Op = op, Offset = offset, Length = length, Source = source };

    /// <summary>Removes TCP option <paramref name="kind"/> (nft "reset tcp option sack-perm").</summary>
    public static ExthdrExpression ResetTcpOption(byte kind) => new(kind) { Op = ExthdrOp.TcpOption };

    /// <summary>NFTA_EXTHDR_OP, when present (absent means IPv6 to the kernel).</summary>
    public ExthdrOp? Op { get; init; }

    /// <summary>NFTA_EXTHDR_TYPE: the extension header number, option kind or chunk type.</summary>
    public byte Type { get; }

    /// <summary>NFTA_EXTHDR_OFFSET, when present.</summary>
    public uint? Offset { get; init; }

    /// <summary>NFTA_EXTHDR_LEN, when present.</summary>
    public uint? Length { get; init; }

    /// <summary>NFTA_EXTHDR_FLAGS, when present.</summary>
    public ExthdrFlags? Flags { get; init; }

    /// <summary>NFTA_EXTHDR_DREG, for a load.</summary>
    public Register? Destination { get; init; }

    /// <summary>NFTA_EXTHDR_SREG, for a write.</summary>
    public Register? Source { get; init; }

    /// <inheritdoc />
    public override string Name => "exthdr";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_exthdr_build order: DREG, SREG, TYPE, OFFSET, LEN, OP, FLAGS.
        // The kernel dumps TYPE, OFFSET, LEN, FLAGS and OP for every form (nft_exthdr_dump_common),
        // but refuses FLAGS for a write (nft_exthdr_tcp_set_init) and OFFSET, LEN and FLAGS for a
        // reset (nft_exthdr_tcp_strip_init). nft never sends them there, and neither do we, so a
        // rule read back from the kernel can be written again.
        bool load = Destination is not null, write = Source is not null, reset = !load && !write;
        if (Destination is Register d) writer.WriteUInt32BigEndian(AttrDreg, d.Raw);
        if (Source is Register s) writer.WriteUInt32BigEndian(AttrSreg, s.Raw);
        writer.WriteUInt8(AttrType, Type);
        if (Offset is uint o && !reset) writer.WriteUInt32BigEndian(AttrOffset, o);
        if (Length is uint l && !reset) writer.WriteUInt32BigEndian(AttrLen, l);
        if (Op is ExthdrOp op) writer.WriteUInt32BigEndian(AttrOp, (uint)op);
        if (Flags is ExthdrFlags f && load) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "exthdr");
        byte? type = null;
        uint? offset = null, length = null;
        ExthdrOp? op = null;
        ExthdrFlags? flags = null;
        Register? dreg = null, sreg = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrType: type = a.GetUInt8(); break;
                case AttrOffset: offset = a.GetUInt32BigEndian(); break;
                case AttrLen: length = a.GetUInt32BigEndian(); break;
                case AttrFlags: flags = (ExthdrFlags)a.GetUInt32BigEndian(); break;
                case AttrOp: op = (ExthdrOp)a.GetUInt32BigEndian(); break;
                case AttrSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        if (type is null)
        {
            throw new NetlinkProtocolException("exthdr", "NFTA_EXTHDR_TYPE", "none");
        }
        return new ExthdrExpression(type.Value) { Op = op, Offset = offset, Length = length, Flags = flags, Destination = dreg, Source = sreg };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl 1.2.4 nftnl_expr_exthdr_snprintf: load if DREG, write if SREG, the tcp option
        // reset when the length is 0, else the raw fields. Absent numbers print as 0.
        var c = CultureInfo.InvariantCulture;
        uint offset = Offset ?? 0, length = Length ?? 0;
        if (Destination is Register d)
        {
            string present = ((Flags ?? ExthdrFlags.None) & ExthdrFlags.Present) != 0 ? " present" : string.Empty;
            builder.Append(c, $"load{OpName(Op)} {length}b @ {Type} + {offset}{present} => reg {d} ");
        }
        else if (Source is Register s)
        {
            builder.Append(c, $"write{OpName(Op)} reg {s} => {length}b @ {Type} + {offset} ");
        }
        else if ((Op ?? ExthdrOp.IPv6) == ExthdrOp.TcpOption && length == 0)
        {
            builder.Append(c, $"reset tcpopt {Type} ");
        }
        else
        {
            builder.Append(c, $"op {(uint)(Op ?? ExthdrOp.IPv6)} len {length} type {Type} offset {offset} ");
        }
    }

    // libnftnl op2str (an uint8_t argument): sctp and dccp print nothing.
    private static string OpName(ExthdrOp? op) => (byte)(op ?? ExthdrOp.IPv6) switch
    {
        (byte)ExthdrOp.IPv6 => " ipv6",
        (byte)ExthdrOp.TcpOption => " tcpopt",
        (byte)ExthdrOp.IPv4 => " ipv4",
        _ => string.Empty,
    };
}
