using System.Buffers.Binary;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// How <see cref="NfTablesMonitor"/> turns one notification datagram into events: every nf_tables
/// message becomes one event, in order; messages it does not model stay whole as
/// <see cref="NfTablesEventKind.Other"/>; messages of other subsystems are not reported.
/// </summary>
public sealed class MonitorDecodeTests
{
    private static byte[] Payload(byte family, Action<List<byte>> attributes)
    {
        var payload = new List<byte> { family, 0, 0, 0 };
        attributes(payload);
        return payload.ToArray();
    }

    [Fact]
    public void A_datagram_of_several_notifications_becomes_one_event_each_in_order()
    {
        byte[] handle = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(handle, 42);
        byte[] generation = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(generation, 9);
        byte[] newObject = Payload(1, p => KernelReplies.StringAttribute(p, 1, "t"));
        byte[] datagram = new[]
        {
            KernelReplies.Message(RawMessage.NfTables | 0, 0, 7, 100, Payload(2, p => KernelReplies.StringAttribute(p, 1, "nat"))),
            KernelReplies.Message(RawMessage.NfTables | 8, 0, 7, 100, Payload(2, p => { KernelReplies.StringAttribute(p, 1, "nat"); KernelReplies.StringAttribute(p, 2, "pre"); KernelReplies.Attribute(p, 3, handle); })),
            KernelReplies.Message(RawMessage.NfTables | 18, 0, 7, 100, newObject),
            KernelReplies.Message(0x0100 | 0, 0, 7, 100, Payload(2, _ => { })), // NFNL_SUBSYS_CTNETLINK: not ours
            KernelReplies.Message(RawMessage.NfTables | 15, 0, 7, 100, Payload(0, p => { KernelReplies.Attribute(p, 1, generation); KernelReplies.StringAttribute(p, 3, "nft"); })),
        }.SelectMany(m => m).ToArray();
        var events = new List<NfTablesEvent>();

        NfTablesMonitor.Decode(datagram, events);

        events.Select(e => e.Kind).Should().Equal(NfTablesEventKind.NewTable, NfTablesEventKind.DeleteRule, NfTablesEventKind.Other, NfTablesEventKind.NewGeneration);
        events[0].Table!.Name.Should().Be("nat");
        events[0].Family.Should().Be(NetfilterFamily.IPv4);
        events[1].Rule!.Handle.Should().Be(42);
        events[1].ToString().Should().Be("DeleteRule ip nat pre handle 42");
        events[2].MessageType.Should().Be(18);
        events[2].Payload.ToArray().Should().Equal(newObject);
        events[3].Generation.Should().Be(new RulesetGeneration(9, 0, "nft"));
    }
}
