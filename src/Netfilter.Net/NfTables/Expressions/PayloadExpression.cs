using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// payload: loads bytes of a packet header into a register, or writes a register into the
/// packet (with checksum fix-up). Debug text: <c>[ payload load 2b @ transport header + 2 =&gt; reg 1 ]</c>,
/// <c>[ payload write reg 1 =&gt; 2b @ transport header + 2 csum_type 1 csum_off 16 csum_flags 0x1 ]</c>.
/// </summary>
public sealed class PayloadExpression : NftExpression
{
    // enum nft_payload_attributes
    private const ushort AttrDreg = 1;       // NFTA_PAYLOAD_DREG
    private const ushort AttrBase = 2;       // NFTA_PAYLOAD_BASE
    private const ushort AttrOffset = 3;     // NFTA_PAYLOAD_OFFSET
    private const ushort AttrLen = 4;        // NFTA_PAYLOAD_LEN
    private const ushort AttrSreg = 5;       // NFTA_PAYLOAD_SREG
    private const ushort AttrCsumType = 6;   // NFTA_PAYLOAD_CSUM_TYPE
    private const ushort AttrCsumOffset = 7; // NFTA_PAYLOAD_CSUM_OFFSET
    private const ushort AttrCsumFlags = 8;  // NFTA_PAYLOAD_CSUM_FLAGS

    private PayloadExpression(PayloadBase @base, uint offset, uint length, Register? destination, Register? source, uint? checksumType, uint? checksumOffset, uint? checksumFlags)
    {
        Base = @base;
        Offset = offset;
        Length = length;
        Destination = destination;
        Source = source;
        ChecksumType = checksumType;
        ChecksumOffset = checksumOffset;
        ChecksumFlags = checksumFlags;
    }

    /// <summary>Loads <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="base"/> into <paramref name="destination"/>.</summary>
    public static PayloadExpression Load(PayloadBase @base, uint offset, uint length, Register destination) =>
        new(@base, offset, length, destination, null, null, null, null);

    /// <summary>
    /// Writes <paramref name="source"/> into the packet. <paramref name="checksumType"/> is
    /// NFT_PAYLOAD_CSUM_* (0 none, 1 inet, 2 sctp), <paramref name="checksumOffset"/> where the
    /// checksum lives, <paramref name="checksumFlags"/> NFT_PAYLOAD_L4CSUM_PSEUDOHDR (1) to fix the L4 checksum too.
    /// Each is sent only when given, as nft does: <c>ip6 hoplimit set 1</c> sends none,
    /// <c>tcp dport set 8080</c> sends type and offset, <c>ip saddr set</c> all three.
    /// </summary>
    public static PayloadExpression Write(PayloadBase @base, uint offset, uint length, Register source, uint? checksumType = null, uint? checksumOffset = null, uint? checksumFlags = null) =>
        new(@base, offset, length, null, source, checksumType, checksumOffset, checksumFlags);

    /// <summary>The header the offset counts from.</summary>
    public PayloadBase Base { get; }

    /// <summary>Byte offset within the header.</summary>
    public uint Offset { get; }

    /// <summary>Number of bytes.</summary>
    public uint Length { get; }

    /// <summary>NFTA_PAYLOAD_DREG, for a load.</summary>
    public Register? Destination { get; }

    /// <summary>NFTA_PAYLOAD_SREG, for a write.</summary>
    public Register? Source { get; }

    /// <summary>NFTA_PAYLOAD_CSUM_TYPE, when present.</summary>
    public uint? ChecksumType { get; }

    /// <summary>NFTA_PAYLOAD_CSUM_OFFSET, when present.</summary>
    public uint? ChecksumOffset { get; }

    /// <summary>NFTA_PAYLOAD_CSUM_FLAGS, when present.</summary>
    public uint? ChecksumFlags { get; }

    /// <inheritdoc />
    public override string Name => "payload";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_payload_build order: SREG, DREG, BASE, OFFSET, LEN, CSUM_TYPE,
        // CSUM_OFFSET, CSUM_FLAGS (golden payload-write-*: nft sends SREG first).
        if (Source is Register s)
        {
            writer.WriteUInt32BigEndian(AttrSreg, s.Raw);
        }
        if (Destination is Register d)
        {
            writer.WriteUInt32BigEndian(AttrDreg, d.Raw);
        }
        writer.WriteUInt32BigEndian(AttrBase, (uint)Base);
        writer.WriteUInt32BigEndian(AttrOffset, Offset);
        writer.WriteUInt32BigEndian(AttrLen, Length);
        if (ChecksumType is uint t)
        {
            writer.WriteUInt32BigEndian(AttrCsumType, t);
        }
        if (ChecksumOffset is uint o)
        {
            writer.WriteUInt32BigEndian(AttrCsumOffset, o);
        }
        if (ChecksumFlags is uint f)
        {
            writer.WriteUInt32BigEndian(AttrCsumFlags, f);
        }
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "payload");
        Register? dreg = null, sreg = null;
        uint @base = 0, offset = 0, length = 0;
        uint? csumType = null, csumOffset = null, csumFlags = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrBase: @base = a.GetUInt32BigEndian(); break;
                case AttrOffset: offset = a.GetUInt32BigEndian(); break;
                case AttrLen: length = a.GetUInt32BigEndian(); break;
                case AttrSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrCsumType: csumType = a.GetUInt32BigEndian(); break;
                case AttrCsumOffset: csumOffset = a.GetUInt32BigEndian(); break;
                case AttrCsumFlags: csumFlags = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        return new PayloadExpression((PayloadBase)@base, offset, length, dreg, sreg, csumType, csumOffset, csumFlags);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        var c = CultureInfo.InvariantCulture;
        if (Source is Register s && s.Raw != 0)
        {
            builder.Append(c, $"write reg {s} => {Length}b @ {BaseName(Base)} header + {Offset} csum_type {ChecksumType ?? 0} csum_off {ChecksumOffset ?? 0} csum_flags 0x{ChecksumFlags ?? 0:x} ");
        }
        else
        {
            builder.Append(c, $"load {Length}b @ {BaseName(Base)} header + {Offset} => reg {Destination?.Raw ?? 0} ");
        }
    }

    // libnftnl 1.2.4 base2str: link, network, transport, inner; anything else "unknown".
    private static string BaseName(PayloadBase b) => b switch
    {
        PayloadBase.LinkLayer => "link",
        PayloadBase.Network => "network",
        PayloadBase.Transport => "transport",
        PayloadBase.Inner => "inner",
        _ => "unknown",
    };
}
