using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// numgen: writes a number (incremental or random) modulo a bound, plus an offset, into a
/// register: round-robin or random load balancing. Debug text: <c>[ numgen reg 1 = inc mod 2 offset 100 ]</c>.
/// </summary>
public sealed class NumgenExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_ng_attributes (NFTA_NG_SET_NAME/_SET_ID are deprecated and kept raw).
    private const ushort AttrDreg = 1;    // NFTA_NG_DREG
    private const ushort AttrModulus = 2; // NFTA_NG_MODULUS
    private const ushort AttrType = 3;    // NFTA_NG_TYPE
    private const ushort AttrOffset = 4;  // NFTA_NG_OFFSET

    /// <summary>Writes a <paramref name="type"/> number in [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="modulus"/>) into <paramref name="destination"/>.</summary>
    /// <param name="type">Incremental or random.</param>
    /// <param name="modulus">The number of values; must be at least 1.</param>
    /// <param name="destination">The register written.</param>
    /// <param name="offset">Added to the number; nft always sends it (0 by default).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modulus"/> is 0 (the kernel refuses it).</exception>
    public NumgenExpression(NumgenType type, uint modulus, Register destination, uint? offset = 0)
        : this(type, modulus, destination, offset, validate: true)
    {
    }

    private NumgenExpression(NumgenType type, uint modulus, Register destination, uint? offset, bool validate)
    {
        if (validate && modulus == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(modulus), modulus, "numgen needs a modulus of at least 1");
        }
        Type = type;
        Modulus = modulus;
        Destination = destination;
        Offset = offset;
    }

    /// <summary>NFTA_NG_TYPE.</summary>
    public NumgenType Type { get; }

    /// <summary>NFTA_NG_MODULUS.</summary>
    public uint Modulus { get; }

    /// <summary>NFTA_NG_DREG.</summary>
    public Register Destination { get; }

    /// <summary>NFTA_NG_OFFSET, when present.</summary>
    public uint? Offset { get; }

    /// <inheritdoc />
    public override string Name => "numgen";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_ng_build order: DREG, MODULUS, TYPE, OFFSET.
        writer.WriteUInt32BigEndian(AttrDreg, Destination.Raw);
        writer.WriteUInt32BigEndian(AttrModulus, Modulus);
        writer.WriteUInt32BigEndian(AttrType, (uint)Type);
        if (Offset is uint o) writer.WriteUInt32BigEndian(AttrOffset, o);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "numgen");
        Register? dreg = null;
        uint? modulus = null, type = null, offset = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrModulus: modulus = a.GetUInt32BigEndian(); break;
                case AttrType: type = a.GetUInt32BigEndian(); break;
                case AttrOffset: offset = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (dreg is null || modulus is null || type is null)
        {
            throw new NetlinkProtocolException("numgen", "NFTA_NG_DREG, NFTA_NG_MODULUS and NFTA_NG_TYPE", "a missing attribute");
        }
        return new NumgenExpression((NumgenType)type.Value, modulus.Value, dreg.Value, offset, validate: false);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_expr_ng_snprintf: an unknown type prints nothing at all.
        string? type = Type switch
        {
            NumgenType.Incremental => "inc",
            NumgenType.Random => "random",
            _ => null,
        };
        if (type is null)
        {
            return;
        }
        builder.Append("reg ").Append(Destination).Append(" = ").Append(type).Append(" mod ").Append(Modulus).Append(' ');
        if (Offset is uint o && o != 0)
        {
            builder.Append("offset ").Append(o).Append(' ');
        }
    }
}
