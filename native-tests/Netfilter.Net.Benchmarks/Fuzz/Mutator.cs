using System.Buffers.Binary;

namespace Netfilter.Net.Benchmarks.Fuzz;

/// <summary>
/// Byte-level mutations of a netlink datagram, as the unit property tests make them and more:
/// a bit flipped, a byte set, a 16- or 32-bit field at its alignment overwritten with an edge
/// value (lengths around header sizes, the 16-bit limit, where int arithmetic overflows) or
/// nudged, bytes inserted, deleted, duplicated, the datagram cut, and nlmsg_len made honest
/// again half the time so the mutation reaches the decoders behind the framing.
/// </summary>
public static class Mutator
{
    private static readonly uint[] s_edges = { 0, 1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 17, 19, 20, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffc, 0xffff, 0x10000, 0x7ffffffc, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff };

    public static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int count = 1 + random.Next(4);
        for (int n = 0; n < count && bytes.Count > 0; n++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(10))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                case 3:
                    {
                        // a 16-bit field (nla_len, nla_type, nlmsg_type, nlmsg_flags) at a 2-byte boundary
                        at &= ~1;
                        if (at + 2 <= bytes.Count)
                        {
                            ushort old = (ushort)(bytes[at] | (bytes[at + 1] << 8));
                            ushort value = random.Next(2) == 0 ? (ushort)s_edges[random.Next(s_edges.Length)] : (ushort)(old + random.Next(-8, 9));
                            bytes[at] = (byte)value;
                            bytes[at + 1] = (byte)(value >> 8);
                        }
                        break;
                    }
                case 4:
                    {
                        // a 32-bit field (nlmsg_len, errno, a big-endian number) at a 4-byte boundary
                        at &= ~3;
                        if (at + 4 <= bytes.Count)
                        {
                            uint value = s_edges[random.Next(s_edges.Length)];
                            if (random.Next(2) == 0)
                            {
                                value = BinaryPrimitives.ReverseEndianness(value);
                            }
                            for (int i = 0; i < 4; i++)
                            {
                                bytes[at + i] = (byte)(value >> (8 * i));
                            }
                        }
                        break;
                    }
                case 5:
                    bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256)));
                    break;
                case 6:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                    break;
                case 7:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 8:
                    bytes.InsertRange(at, bytes.Skip(at).Take(4 + random.Next(32)).ToList());
                    break;
                default:
                    // an attribute's type changed (the flags kept), at a 4-byte boundary + 2
                    at = (at & ~3) + 2;
                    if (at + 1 < bytes.Count)
                    {
                        bytes[at] = (byte)random.Next(40);
                    }
                    break;
            }
        }
        byte[] result = bytes.ToArray();
        bool singleMessage = seed.Length >= 16 && BinaryPrimitives.ReadUInt32LittleEndian(seed) == (uint)seed.Length;
        if (singleMessage && result.Length >= 16 && random.Next(2) == 0)
        {
            // Keep a one-message datagram's nlmsg_len honest half the time, so the mutation gets past the framing.
            BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)result.Length);
        }
        return result;
    }
}
