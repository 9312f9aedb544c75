using System;
using System.Globalization;

namespace Netfilter.Net.NfTables;

/// <summary>
/// An nftables register. The kernel has two numberings over the same 64 bytes of storage
/// (uapi nf_tables.h, enum nft_registers): the verdict register 0, four 16-byte registers
/// NFT_REG_1..4 (values 1..4), and sixteen 4-byte registers NFT_REG32_00..15 (values 8..23).
/// NFT_REG_1 and NFT_REG32_00 start at the same byte. This type can only be built through
/// <see cref="R1"/>..<see cref="R4"/>, <see cref="R32"/> and <see cref="Verdict"/>, so the two
/// numberings cannot be confused.
/// </summary>
public readonly struct Register : IEquatable<Register>
{
    private Register(uint raw) => Raw = raw;

    /// <summary>NFT_REG_VERDICT (0): where immediate verdicts and verdict maps write.</summary>
    public static Register Verdict => new(0);

    /// <summary>NFT_REG_1: the first 16-byte register (same storage as NFT_REG32_00..03).</summary>
    public static Register R1 => new(1);

    /// <summary>NFT_REG_2: the second 16-byte register (NFT_REG32_04..07).</summary>
    public static Register R2 => new(2);

    /// <summary>NFT_REG_3 (NFT_REG32_08..11).</summary>
    public static Register R3 => new(3);

    /// <summary>NFT_REG_4 (NFT_REG32_12..15).</summary>
    public static Register R4 => new(4);

    /// <summary>NFT_REG32_<paramref name="index"/> (0..15): a 4-byte register, value 8 + index.</summary>
    public static Register R32(int index)
    {
        if ((uint)index > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "NFT_REG32_00..NFT_REG32_15: index 0..15");
        }
        return new Register(8 + (uint)index);
    }

    /// <summary>
    /// The register that nft uses for the 32-bit unit <paramref name="unit"/> (0..15): a whole
    /// 16-byte register when the unit starts one (unit % 4 == 0), otherwise NFT_REG32_unit.
    /// This is how nft allocates concatenation fields (FORMAT.md 3.2).
    /// </summary>
    public static Register ForUnit(int unit)
    {
        if ((uint)unit > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "a register unit is 0..15");
        }
        return unit % 4 == 0 ? new Register(1 + (uint)unit / 4) : R32(unit);
    }

    /// <summary>Wraps a value read from the kernel; any number is kept as it is.</summary>
    internal static Register FromRaw(uint raw) => new(raw);

    /// <summary>The value on the wire (NFTA_*_REG attributes), as libnftnl prints it.</summary>
    public uint Raw { get; }

    /// <summary>True for NFT_REG_VERDICT.</summary>
    public bool IsVerdict => Raw == 0;

    /// <summary>True for NFT_REG_1..4.</summary>
    public bool Is128Bit => Raw is >= 1 and <= 4;

    /// <summary>True for NFT_REG32_00..15.</summary>
    public bool Is32Bit => Raw is >= 8 and <= 23;

    /// <inheritdoc />
    public bool Equals(Register other) => Raw == other.Raw;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Register other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)Raw;

    /// <summary>Equality.</summary>
    public static bool operator ==(Register left, Register right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Register left, Register right) => !left.Equals(right);

    /// <summary>The raw number, as libnftnl prints it after "reg ".</summary>
    public override string ToString() => Raw.ToString(CultureInfo.InvariantCulture);
}
