using System;
using System.Buffers.Binary;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Netfilter;

/// <summary>
/// struct nfgenmsg, the 4-byte header after nlmsghdr in every nfnetlink message: family,
/// version (NFNETLINK_V0) and res_id, which is big-endian. In requests res_id names the
/// subsystem (batches) or is 0; nftables dump replies carry the ruleset generation's low 16
/// bits there (nft check_genid).
/// </summary>
internal readonly record struct NfGenMsg(NetfilterFamily Family, byte Version, ushort ResourceId)
{
    public const int Size = 4;

    /// <summary>NFNETLINK_V0.</summary>
    public const byte Version0 = 0;

    public static NfGenMsg Read(ReadOnlySpan<byte> payload, string context)
    {
        if (payload.Length < Size)
        {
            throw new NetlinkProtocolException(context, $"an nfgenmsg header ({Size} bytes)", $"{payload.Length} bytes");
        }
        return new NfGenMsg((NetfilterFamily)payload[0], payload[1], BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(2)));
    }

    public void Write(NetlinkWriter writer)
    {
        Span<byte> bytes = writer.Reserve(Size);
        bytes[0] = (byte)Family;
        bytes[1] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.Slice(2), ResourceId);
    }
}
