using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>Small requests for engine tests: one message of an nfnetlink-looking type with one u32 attribute.</summary>
internal static class TestRequest
{
    public const ushort Type = 0x0a01;

    /// <summary>One message numbered <paramref name="sequence"/>.</summary>
    public static byte[] One(uint sequence, NetlinkMessageFlags flags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack) => Many(sequence, 1, flags);

    /// <summary><paramref name="count"/> messages numbered from <paramref name="first"/>, in one datagram.</summary>
    public static byte[] Many(uint first, int count, NetlinkMessageFlags flags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack)
    {
        using var writer = new NetlinkWriter(64);
        for (int i = 0; i < count; i++)
        {
            writer.BeginMessage(Type, flags, first + (uint)i);
            writer.WriteUInt32BigEndian(1, (uint)i);
            writer.EndMessage();
        }
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>A dump request.</summary>
    public static byte[] Dump(uint sequence) => One(sequence, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);

    /// <summary>A connection over <paramref name="kernel"/> whose first request is numbered <paramref name="firstSequence"/>.</summary>
    public static NetlinkConnection Connect(FakeKernel kernel, uint firstSequence = 1001, TimeSpan? timeout = null) =>
        new(kernel, timeout: timeout ?? TimeSpan.FromSeconds(7), initialSequence: firstSequence - 1);
}
