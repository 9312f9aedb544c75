using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// Walks everything a datagram could hold the way a decoder would: every message, NLMSG_ERROR
/// decoding, every attribute after a 4-byte family header, every typed getter, and every
/// payload tried as nested attributes (to <see cref="MaxDepth"/>). Used by the property tests:
/// the only exception it may see from the library is <see cref="NetlinkProtocolException"/>.
/// </summary>
internal static class DecodeWalker
{
    public const int MaxDepth = 16;

    private delegate void Getter(NetlinkAttribute attribute);

    private static readonly Getter[] Getters =
    {
        a => a.GetUInt8(), a => a.GetUInt16BigEndian(), a => a.GetUInt16Host(), a => a.GetUInt32BigEndian(),
        a => a.GetInt32BigEndian(), a => a.GetUInt32Host(), a => a.GetUInt64BigEndian(), a => a.GetUInt64Host(),
        a => a.GetStringZ(), a => a.GetString(),
    };

    private static readonly Getter[] StringGetters = { a => a.GetString(), a => a.GetStringZ() };
    private static readonly Getter[] Size1 = { a => a.GetUInt8(), a => a.GetString() };
    private static readonly Getter[] Size2 = { a => a.GetUInt16BigEndian(), a => a.GetUInt16Host(), a => a.GetString() };
    private static readonly Getter[] Size4 = { a => a.GetUInt32BigEndian(), a => a.GetInt32BigEndian(), a => a.GetUInt32Host(), a => a.GetString() };
    private static readonly Getter[] Size8 = { a => a.GetUInt64BigEndian(), a => a.GetUInt64Host(), a => a.GetString() };

    private static Getter[] GettersFor(int length) => length switch
    {
        1 => Size1,
        2 => Size2,
        4 => Size4,
        8 => Size8,
        _ => StringGetters,
    };

    /// <summary>
    /// Walks <paramref name="datagram"/>. Each message and attribute costs one step; every
    /// attribute consumes at least 4 bytes of its level, so a walk that terminates needs at most
    /// (length / 4 + 1) × (depth + 2) steps. Running over that means a reader did not advance.
    /// </summary>
    public static void Walk(ReadOnlySpan<byte> datagram)
    {
        long budget = ((long)datagram.Length / 4 + 1) * (MaxDepth + 2);
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage message))
        {
            Spend(ref budget);
            switch (message.Type)
            {
                case NetlinkMessageType.Error:
                    NetlinkError.Decode(message);
                    break;
                case NetlinkMessageType.Done when (message.Flags & NetlinkMessageFlags.AckTlvs) != 0 && message.Payload.Length > 4:
                    // int errno, then extended-ack TLVs (netlink_dump_done).
                    WalkAttributes(message.Payload.Slice(4), 0, ref budget);
                    break;
                case >= NetlinkMessageType.MinType when message.Payload.Length >= 4:
                    // A family message: a 4-byte header (nfgenmsg) then attributes.
                    WalkAttributes(message.Payload.Slice(4), 0, ref budget);
                    break;
            }
        }
    }

    /// <summary>Walks one level of attributes; a level that is not attributes raises NetlinkProtocolException to the caller.</summary>
    public static void WalkAttributes(ReadOnlySpan<byte> data, int depth, ref long budget)
    {
        var reader = new NetlinkAttributeReader(data, "fuzz");
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            Spend(ref budget);
            // The getter that fits the size must succeed; at the top level every other one is
            // tried too and must refuse with NetlinkProtocolException. (Deeper down that would
            // only repeat the same check at the price of thousands of exceptions per case.)
            foreach (Getter getter in depth == 0 ? Getters : GettersFor(attribute.Payload.Length))
            {
                try
                {
                    getter(attribute);
                }
                catch (NetlinkProtocolException)
                {
                    // A getter of the wrong size refusing is the point of strict lengths.
                }
            }
            if (depth < MaxDepth && attribute.Payload.Length >= NetlinkAlignment.AttributeHeaderLength)
            {
                try
                {
                    WalkAttributes(attribute.Payload, depth + 1, ref budget);
                }
                catch (NetlinkProtocolException)
                {
                    // Not every payload is a list of attributes; keep walking this level.
                }
            }
        }
    }

    private static void Spend(ref long budget)
    {
        if (--budget < 0)
        {
            throw new InvalidOperationException("the readers did not advance: more steps than the data allows");
        }
    }
}
