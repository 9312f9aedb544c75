using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// The 128 connection-label bits of an entry (CTA_LABELS; nft <c>ct label</c>, conntrack
/// <c>--label</c>). On the wire they are the kernel's bitmap of unsigned longs; bit N is bit
/// N % 32 of host-order 32-bit word N / 32, as libnetfilter_conntrack builds it.
/// </summary>
public readonly record struct ConntrackLabels
{
    /// <summary>NF_CT_LABELS_MAX_SIZE: 128 bits.</summary>
    public const int BitCount = 128;

    private readonly ulong _low;
    private readonly ulong _high;

    private ConntrackLabels(ulong low, ulong high)
    {
        _low = low;
        _high = high;
    }

    /// <summary>No label set.</summary>
    public static ConntrackLabels None => default;

    /// <summary>Labels with exactly <paramref name="bits"/> set (each 0..127).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bit is outside 0..127.</exception>
    public static ConntrackLabels FromBits(params int[] bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        ulong low = 0, high = 0;
        foreach (int bit in bits)
        {
            if (bit is < 0 or >= BitCount)
            {
                throw new ArgumentOutOfRangeException(nameof(bits), bit, "a conntrack label bit is 0..127");
            }
            if (bit < 64)
            {
                low |= 1UL << bit;
            }
            else
            {
                high |= 1UL << (bit - 64);
            }
        }
        return new ConntrackLabels(low, high);
    }

    /// <summary>True when no bit is set.</summary>
    public bool IsEmpty => _low == 0 && _high == 0;

    /// <summary>True when bit <paramref name="bit"/> is set.</summary>
    public bool Contains(int bit) => bit switch
    {
        < 0 or >= BitCount => false,
        < 64 => (_low & (1UL << bit)) != 0,
        _ => (_high & (1UL << (bit - 64))) != 0,
    };

    /// <summary>The set bits, ascending.</summary>
    public IEnumerable<int> Bits => Enumerable.Range(0, BitCount).Where(Contains);

    /// <summary>The union of two label sets.</summary>
    public static ConntrackLabels operator |(ConntrackLabels a, ConntrackLabels b) => new(a._low | b._low, a._high | b._high);

    /// <summary>"1,5,100", or "none".</summary>
    public override string ToString() => IsEmpty ? "none" : string.Join(",", Bits.Select(b => b.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Decodes the kernel bitmap (any multiple of 4 bytes up to 16; longer bitmaps keep their first 128 bits).</summary>
    internal static ConntrackLabels Decode(ReadOnlySpan<byte> bitmap)
    {
        ulong low = 0, high = 0;
        int words = Math.Min(bitmap.Length / 4, BitCount / 32);
        for (int i = 0; i < words; i++)
        {
            ulong word = HostOrder.ReadUInt32(bitmap.Slice(i * 4));
            if (i < 2)
            {
                low |= word << (32 * i);
            }
            else
            {
                high |= word << (32 * (i - 2));
            }
        }
        return new ConntrackLabels(low, high);
    }

    /// <summary>Writes the 16-byte kernel bitmap.</summary>
    internal void Encode(Span<byte> destination)
    {
        for (int i = 0; i < 4; i++)
        {
            ulong half = i < 2 ? _low : _high;
            HostOrder.WriteUInt32(destination.Slice(i * 4), (uint)(half >> (32 * (i % 2))));
        }
    }
}
