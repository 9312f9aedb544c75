using System;

namespace Netfilter.Net.Routing;

/// <summary>struct fib_rule_hdr (uapi linux/fib_rules.h): the fixed header of RTM_*RULE messages, 12 bytes.</summary>
internal readonly record struct RuleHeader(byte Family, byte DestinationLength, byte SourceLength, byte Tos, byte Table, byte Action, uint Flags)
{
    /// <summary>sizeof(struct fib_rule_hdr).</summary>
    public const int Size = 12;

    /// <summary>FIB_RULE_INVERT: the selector is negated ("not").</summary>
    public const uint InvertFlag = 0x2;

    public static RuleHeader Read(ReadOnlySpan<byte> payload, string context)
    {
        if (payload.Length < Size)
        {
            throw new NetlinkProtocolException(context, $"a struct fib_rule_hdr ({Size} bytes)", $"{payload.Length} bytes");
        }
        // Bytes 5 and 6 are res1/res2 (reserved).
        return new RuleHeader(payload[0], payload[1], payload[2], payload[3], payload[4], payload[7], Netlink.HostOrder.ReadUInt32(payload.Slice(8)));
    }

    public void Write(Span<byte> destination)
    {
        destination[0] = Family;
        destination[1] = DestinationLength;
        destination[2] = SourceLength;
        destination[3] = Tos;
        destination[4] = Table;
        destination[5] = 0;
        destination[6] = 0;
        destination[7] = Action;
        Netlink.HostOrder.WriteUInt32(destination.Slice(8), Flags);
    }
}
