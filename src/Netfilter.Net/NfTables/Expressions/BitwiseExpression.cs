using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// bitwise: transforms a register into another one. Three forms:
/// mask/xor <c>[ bitwise reg 1 = ( reg 1 &amp; 0x000000ff ) ^ 0x00000000 ]</c> (how nft writes
/// <c>and</c>, <c>or</c>, <c>xor</c> with a constant and flag tests),
/// shifts <c>[ bitwise reg 1 = ( reg 1 &lt;&lt; 0x00000008 ) ]</c>, and, since kernel 6.13,
/// and/or/xor of two registers or a register and a constant, which libnftnl 1.2.4 cannot print
/// (it prints <c>[ bitwise ]</c>).
/// </summary>
public sealed class BitwiseExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_bitwise_attributes
    private const ushort AttrSreg = 1;  // NFTA_BITWISE_SREG
    private const ushort AttrDreg = 2;  // NFTA_BITWISE_DREG
    private const ushort AttrLen = 3;   // NFTA_BITWISE_LEN
    private const ushort AttrMask = 4;  // NFTA_BITWISE_MASK
    private const ushort AttrXor = 5;   // NFTA_BITWISE_XOR
    private const ushort AttrOp = 6;    // NFTA_BITWISE_OP
    private const ushort AttrData = 7;  // NFTA_BITWISE_DATA
    private const ushort AttrSreg2 = 8; // NFTA_BITWISE_SREG2 (kernel 6.13; not in the 6.1 uapi header)

    private BitwiseExpression(Register source, Register destination, uint length, BitwiseOperation? operation, NftData? mask, NftData? xor, NftData? data, Register? source2)
    {
        Source = source;
        Destination = destination;
        Length = length;
        Operation = operation;
        Mask = mask;
        Xor = xor;
        Data = data;
        Source2 = source2;
    }

    /// <summary>
    /// <c>destination = (source &amp; mask) ^ xor</c> over <c>mask.Length</c> bytes.
    /// </summary>
    /// <param name="source">The register read.</param>
    /// <param name="destination">The register written (often the same).</param>
    /// <param name="mask">The AND mask; its length is the operand length.</param>
    /// <param name="xor">The XOR value, as long as the mask.</param>
    /// <param name="sendOperation">
    /// Whether NFTA_BITWISE_OP (0) is sent. nft 1.0.6 sends it for <c>and</c>/<c>or</c> statements
    /// and omits it for flag tests such as <c>ct state established</c>; the kernel reads a missing
    /// operation as mask/xor.
    /// </param>
    public static BitwiseExpression MaskXor(Register source, Register destination, NftData mask, NftData xor, bool sendOperation = true)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(xor);
        if (mask.Length != xor.Length)
        {
            throw new ArgumentException($"mask ({mask.Length} bytes) and xor ({xor.Length} bytes) must have the same length", nameof(xor));
        }
        return new BitwiseExpression(source, destination, (uint)mask.Length, sendOperation ? BitwiseOperation.MaskXor : null, mask, xor, null, null);
    }

    /// <summary><c>destination = source &lt;&lt; shift</c> over <paramref name="length"/> bytes (32-bit words, host order).</summary>
    public static BitwiseExpression LeftShift(Register source, Register destination, uint length, uint shift) =>
        Shift(BitwiseOperation.LeftShift, source, destination, length, shift);

    /// <summary><c>destination = source &gt;&gt; shift</c> over <paramref name="length"/> bytes (32-bit words, host order).</summary>
    public static BitwiseExpression RightShift(Register source, Register destination, uint length, uint shift) =>
        Shift(BitwiseOperation.RightShift, source, destination, length, shift);

    /// <summary>
    /// <c>destination = source OP source2</c> for <see cref="BitwiseOperation.And"/>, <see cref="BitwiseOperation.Or"/>
    /// or <see cref="BitwiseOperation.Xor"/> (kernel 6.13 and later).
    /// </summary>
    /// <remarks>
    /// nft 1.0.6 (Debian 12) cannot list a ruleset that holds one of these: it aborts with
    /// "BUG: invalid bitwise operation 3" (netlink_delinearize.c assertion, exit 134). Use them only
    /// where every nft that will list the ruleset knows them; mask/xor and shifts are safe.
    /// </remarks>
    public static BitwiseExpression Combine(BitwiseOperation operation, Register source, Register source2, Register destination, uint length)
    {
        RequireBoolean(operation);
        RequireLength(length);
        return new BitwiseExpression(source, destination, length, operation, null, null, null, source2);
    }

    /// <summary>
    /// <c>destination = source OP data</c> for <see cref="BitwiseOperation.And"/>, <see cref="BitwiseOperation.Or"/>
    /// or <see cref="BitwiseOperation.Xor"/> (kernel 6.13 and later; nft 1.0.6 aborts listing it, see the other overload).
    /// </summary>
    public static BitwiseExpression Combine(BitwiseOperation operation, Register source, NftData data, Register destination)
    {
        RequireBoolean(operation);
        ArgumentNullException.ThrowIfNull(data);
        return new BitwiseExpression(source, destination, (uint)data.Length, operation, null, null, data, null);
    }

    /// <summary>NFTA_BITWISE_SREG: the register read.</summary>
    public Register Source { get; }

    /// <summary>NFTA_BITWISE_DREG: the register written.</summary>
    public Register Destination { get; }

    /// <summary>NFTA_BITWISE_LEN: the operand length in bytes.</summary>
    public uint Length { get; }

    /// <summary>NFTA_BITWISE_OP when it was sent; absent means mask/xor.</summary>
    public BitwiseOperation? Operation { get; }

    /// <summary>NFTA_BITWISE_MASK (mask/xor form).</summary>
    public NftData? Mask { get; }

    /// <summary>NFTA_BITWISE_XOR (mask/xor form).</summary>
    public NftData? Xor { get; }

    /// <summary>NFTA_BITWISE_DATA: the shift amount (host-order u32) or the constant operand of and/or/xor.</summary>
    public NftData? Data { get; }

    /// <summary>NFTA_BITWISE_SREG2: the second register of and/or/xor (kernel 6.13).</summary>
    public Register? Source2 { get; }

    /// <inheritdoc />
    public override string Name => "bitwise";

    internal override KernelFeature? RequiredFeature => Operation switch
    {
        BitwiseOperation.LeftShift or BitwiseOperation.RightShift => KernelFeatures.BitwiseShift,
        BitwiseOperation.And or BitwiseOperation.Or or BitwiseOperation.Xor => KernelFeatures.BitwiseRegisterOperations,
        _ => base.RequiredFeature,
    };

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_bitwise_build order: SREG, (SREG2), DREG, OP, LEN, MASK, XOR, DATA.
        writer.WriteUInt32BigEndian(AttrSreg, Source.Raw);
        if (Source2 is Register s2) writer.WriteUInt32BigEndian(AttrSreg2, s2.Raw);
        writer.WriteUInt32BigEndian(AttrDreg, Destination.Raw);
        if (Operation is BitwiseOperation op) writer.WriteUInt32BigEndian(AttrOp, (uint)op);
        writer.WriteUInt32BigEndian(AttrLen, Length);
        if (Mask is not null) DataCodec.WriteValue(writer, AttrMask, Mask);
        if (Xor is not null) DataCodec.WriteValue(writer, AttrXor, Xor);
        if (Data is not null) DataCodec.WriteValue(writer, AttrData, Data);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "bitwise");
        Register? sreg = null, dreg = null, sreg2 = null;
        uint? length = null;
        BitwiseOperation? op = null;
        NftData? mask = null, xor = null, value = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrLen: length = a.GetUInt32BigEndian(); break;
                case AttrMask: mask = DataCodec.ReadValue(a, "bitwise NFTA_BITWISE_MASK"); break;
                case AttrXor: xor = DataCodec.ReadValue(a, "bitwise NFTA_BITWISE_XOR"); break;
                case AttrOp: op = (BitwiseOperation)a.GetUInt32BigEndian(); break;
                case AttrData: value = DataCodec.ReadValue(a, "bitwise NFTA_BITWISE_DATA"); break;
                case AttrSreg2: sreg2 = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        if (sreg is null || dreg is null || length is null)
        {
            throw new NetlinkProtocolException("bitwise", "NFTA_BITWISE_SREG, NFTA_BITWISE_DREG and NFTA_BITWISE_LEN", "a missing attribute");
        }
        return new BitwiseExpression(sreg.Value, dreg.Value, length.Value, op, mask, xor, value, sreg2);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl 1.2.4 nftnl_expr_bitwise_snprintf: each data value ends with a blank, so
        // "& MASK ) ^ XOR " reads "& 0x000000ff ) ^ 0x00000000 ". It has no case for the
        // and/or/xor operations of kernel 6.13 and prints an empty body for them.
        switch (Operation ?? BitwiseOperation.MaskXor)
        {
            case BitwiseOperation.MaskXor:
                builder.Append("reg ").Append(Destination).Append(" = ( reg ").Append(Source).Append(" & ");
                Mask?.AppendDebug(builder);
                builder.Append(") ^ ");
                Xor?.AppendDebug(builder);
                break;
            case BitwiseOperation.LeftShift:
            case BitwiseOperation.RightShift:
                builder.Append("reg ").Append(Destination).Append(" = ( reg ").Append(Source)
                    .Append(Operation == BitwiseOperation.LeftShift ? " << " : " >> ");
                Data?.AppendDebug(builder);
                builder.Append(") ");
                break;
        }
    }

    private static BitwiseExpression Shift(BitwiseOperation operation, Register source, Register destination, uint length, uint shift)
    {
        RequireLength(length);
        if (shift >= 32)
        {
            // nft_bitwise_init_shift: the shift must be below BITS_PER_TYPE(u32).
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "a shift is 0..31 bits (the kernel shifts 32-bit words)");
        }
        return new BitwiseExpression(source, destination, length, operation, null, null, NftData.FromHostUInt32(shift), null);
    }

    private static void RequireLength(uint length)
    {
        if (length is 0 or > NftData.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"the operand length is 1..{NftData.MaxLength} bytes");
        }
    }

    private static void RequireBoolean(BitwiseOperation operation)
    {
        if (operation is not (BitwiseOperation.And or BitwiseOperation.Or or BitwiseOperation.Xor))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Combine takes And, Or or Xor; use MaskXor, LeftShift or RightShift for the others");
        }
    }
}
