using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// byteorder: converts a register between host and network byte order, element by element
/// (nft emits it to compare host-order keys such as <c>meta length</c> with ranges or interval sets).
/// Debug text: <c>[ byteorder reg 1 = hton(reg 1, 4, 4) ]</c> (size, then length).
/// </summary>
public sealed class ByteorderExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_byteorder_attributes
    private const ushort AttrSreg = 1; // NFTA_BYTEORDER_SREG
    private const ushort AttrDreg = 2; // NFTA_BYTEORDER_DREG
    private const ushort AttrOp = 3;   // NFTA_BYTEORDER_OP
    private const ushort AttrLen = 4;  // NFTA_BYTEORDER_LEN
    private const ushort AttrSize = 5; // NFTA_BYTEORDER_SIZE

    /// <summary>
    /// Converts <paramref name="length"/> bytes of <paramref name="source"/> into <paramref name="destination"/>,
    /// as elements of <paramref name="size"/> bytes (2, 4 or 8).
    /// </summary>
    public ByteorderExpression(ByteorderOperation operation, Register source, Register destination, uint length, uint size)
    {
        if (size is not (2 or 4 or 8))
        {
            // nft_byteorder_init accepts element sizes 2, 4 and 8 only.
            throw new ArgumentOutOfRangeException(nameof(size), size, "the element size is 2, 4 or 8 bytes");
        }
        if (length is 0 or > NftData.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"the length is 1..{NftData.MaxLength} bytes");
        }
        Operation = operation;
        Source = source;
        Destination = destination;
        Length = length;
        Size = size;
    }

    // Decoding keeps the kernel's values as they are; only callers' arguments are checked.
    private ByteorderExpression(ByteorderOperation operation, Register source, Register destination, uint length, uint size, bool fromKernel)
    {
        Operation = operation;
        Source = source;
        Destination = destination;
        Length = length;
        Size = size;
    }

    /// <summary>NFTA_BYTEORDER_OP.</summary>
    public ByteorderOperation Operation { get; }

    /// <summary>NFTA_BYTEORDER_SREG.</summary>
    public Register Source { get; }

    /// <summary>NFTA_BYTEORDER_DREG.</summary>
    public Register Destination { get; }

    /// <summary>NFTA_BYTEORDER_LEN: bytes converted.</summary>
    public uint Length { get; }

    /// <summary>NFTA_BYTEORDER_SIZE: the element size in bytes.</summary>
    public uint Size { get; }

    /// <inheritdoc />
    public override string Name => "byteorder";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_byteorder_build order: SREG, DREG, OP, LEN, SIZE.
        writer.WriteUInt32BigEndian(AttrSreg, Source.Raw);
        writer.WriteUInt32BigEndian(AttrDreg, Destination.Raw);
        writer.WriteUInt32BigEndian(AttrOp, (uint)Operation);
        writer.WriteUInt32BigEndian(AttrLen, Length);
        writer.WriteUInt32BigEndian(AttrSize, Size);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "byteorder");
        Register? sreg = null, dreg = null;
        uint? op = null, length = null, size = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrOp: op = a.GetUInt32BigEndian(); break;
                case AttrLen: length = a.GetUInt32BigEndian(); break;
                case AttrSize: size = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (sreg is null || dreg is null || op is null || length is null || size is null)
        {
            throw new NetlinkProtocolException("byteorder", "NFTA_BYTEORDER_SREG, _DREG, _OP, _LEN and _SIZE", "a missing attribute");
        }
        return new ByteorderExpression((ByteorderOperation)op.Value, sreg.Value, dreg.Value, length.Value, size.Value, fromKernel: true);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl: "reg %u = %s(reg %u, %u, %u) " with size before len.
        string op = Operation switch
        {
            ByteorderOperation.NetworkToHost => "ntoh",
            ByteorderOperation.HostToNetwork => "hton",
            _ => "unknown",
        };
        builder.Append("reg ").Append(Destination).Append(" = ").Append(op).Append("(reg ").Append(Source)
            .Append(", ").Append(Size).Append(", ").Append(Length).Append(") ");
    }
}
