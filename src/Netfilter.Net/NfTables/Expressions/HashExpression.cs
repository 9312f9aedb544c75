using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// hash: hashes a register (jhash) or the packet's flow (symhash) modulo a bound, plus an offset:
/// consistent load balancing. Debug text: <c>[ hash reg 1 = jhash(reg 2, 8, 0xdeadbeef) % mod 2 offset 100 ]</c>,
/// <c>[ hash reg 1 = symhash() % mod 2 offset 100 ]</c>.
/// </summary>
public sealed class HashExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_hash_attributes (NFTA_HASH_SET_NAME/_SET_ID are deprecated and kept raw).
    private const ushort AttrSreg = 1;    // NFTA_HASH_SREG
    private const ushort AttrDreg = 2;    // NFTA_HASH_DREG
    private const ushort AttrLen = 3;     // NFTA_HASH_LEN
    private const ushort AttrModulus = 4; // NFTA_HASH_MODULUS
    private const ushort AttrSeed = 5;    // NFTA_HASH_SEED
    private const ushort AttrOffset = 6;  // NFTA_HASH_OFFSET
    private const ushort AttrType = 7;    // NFTA_HASH_TYPE

    private HashExpression(Register destination, uint modulus)
    {
        Destination = destination;
        Modulus = modulus;
    }

    /// <summary>
    /// jhash of <paramref name="length"/> bytes of <paramref name="source"/> with <paramref name="seed"/>,
    /// modulo <paramref name="modulus"/>, plus <paramref name="offset"/>, into <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modulus"/> or <paramref name="length"/> is 0.</exception>
    public static HashExpression Jenkins(Register source, uint length, uint seed, uint modulus, Register destination, uint offset = 0)
    {
        if (length == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "jhash needs at least one byte to hash");
        }
        CheckModulus(modulus);
        return new HashExpression(destination, modulus) { Source = source, Length = length, Seed = seed, Offset = offset, Type = HashType.Jenkins };
    }

    /// <summary>The symmetric hash of the packet's flow modulo <paramref name="modulus"/>, plus <paramref name="offset"/>, into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modulus"/> is 0.</exception>
    public static HashExpression Symmetric(uint modulus, Register destination, uint offset = 0)
    {
        CheckModulus(modulus);
        return new HashExpression(destination, modulus) { Offset = offset, Type = HashType.Symmetric };
    }

    /// <summary>NFTA_HASH_TYPE, when present (absent means jhash to the kernel).</summary>
    public HashType? Type { get; private init; }

    /// <summary>NFTA_HASH_SREG, for jhash.</summary>
    public Register? Source { get; private init; }

    /// <summary>NFTA_HASH_DREG.</summary>
    public Register Destination { get; }

    /// <summary>NFTA_HASH_LEN: bytes hashed, for jhash.</summary>
    public uint? Length { get; private init; }

    /// <summary>NFTA_HASH_MODULUS.</summary>
    public uint Modulus { get; }

    /// <summary>NFTA_HASH_SEED, for jhash.</summary>
    public uint? Seed { get; private init; }

    /// <summary>NFTA_HASH_OFFSET, when present.</summary>
    public uint? Offset { get; private init; }

    /// <inheritdoc />
    public override string Name => "hash";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_hash_build order: SREG, DREG, LEN, MODULUS, SEED, OFFSET, TYPE.
        if (Source is Register s) writer.WriteUInt32BigEndian(AttrSreg, s.Raw);
        writer.WriteUInt32BigEndian(AttrDreg, Destination.Raw);
        if (Length is uint l) writer.WriteUInt32BigEndian(AttrLen, l);
        writer.WriteUInt32BigEndian(AttrModulus, Modulus);
        if (Seed is uint seed) writer.WriteUInt32BigEndian(AttrSeed, seed);
        if (Offset is uint o) writer.WriteUInt32BigEndian(AttrOffset, o);
        if (Type is HashType t) writer.WriteUInt32BigEndian(AttrType, (uint)t);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "hash");
        Register? sreg = null, dreg = null;
        uint? length = null, modulus = null, seed = null, offset = null, type = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrLen: length = a.GetUInt32BigEndian(); break;
                case AttrModulus: modulus = a.GetUInt32BigEndian(); break;
                case AttrSeed: seed = a.GetUInt32BigEndian(); break;
                case AttrOffset: offset = a.GetUInt32BigEndian(); break;
                case AttrType: type = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (dreg is null || modulus is null)
        {
            throw new NetlinkProtocolException("hash", "NFTA_HASH_DREG and NFTA_HASH_MODULUS", "a missing attribute");
        }
        return new HashExpression(dreg.Value, modulus.Value)
        {
            Source = sreg,
            Length = length,
            Seed = seed,
            Offset = offset,
            Type = (HashType?)type,
        };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_expr_hash_snprintf; absent numbers print as 0.
        var c = CultureInfo.InvariantCulture;
        switch (Type ?? HashType.Jenkins)
        {
            case HashType.Symmetric:
                builder.Append(c, $"reg {Destination} = symhash() % mod {Modulus} ");
                break;
            case HashType.Jenkins:
            default:
                builder.Append(c, $"reg {Destination} = jhash(reg {Source?.Raw ?? 0}, {Length ?? 0}, 0x{Seed ?? 0:x}) % mod {Modulus} ");
                break;
        }
        if (Offset is uint o && o != 0)
        {
            builder.Append(c, $"offset {o} ");
        }
    }

    private static void CheckModulus(uint modulus)
    {
        if (modulus == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(modulus), modulus, "hash needs a modulus of at least 1");
        }
    }
}
