using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Xunit;

namespace Netfilter.Net.Tests.Nat;

/// <summary>
/// The access log's attribution and record building, from decoded conntrack entries as the watch
/// hands them over: which rule a connection belongs to, what its record says, and that no
/// connection is reported twice across the start snapshot, the events and a re-read after a loss.
/// </summary>
public class NatAccessTrackerTests
{
    private static readonly IPAddress Public = IPAddress.Parse("10.0.1.1");
    private static readonly IPAddress Server = IPAddress.Parse("10.0.2.2");
    private static readonly IPAddress Client = IPAddress.Parse("10.0.1.2");

    private static readonly DnatRule Ssh = new(TransportProtocol.Tcp, 2222, Server, 22);
    private static readonly DnatRule Web = new(TransportProtocol.Tcp, 8080, Server, 80, sources: new[] { IPNetwork.Parse("10.0.1.0/24") });
    private static readonly RedirectRule Proxy = new(TransportProtocol.Udp, 53, 5353);

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));

    private NatAccessTracker Tracker(bool includeOpen = false)
    {
        var tracker = new NatAccessTracker(new NatRule[] { Ssh, Web, Proxy }, includeOpen, _clock);
        tracker.BeginSnapshot();
        return tracker;
    }

    private static ConntrackEntry Dnat(uint id, ushort clientPort, ushort publicPort, IPAddress target, ushort targetPort, ProtocolType protocol = ProtocolType.Tcp, IPAddress? client = null)
    {
        var original = new ConntrackTuple(client ?? Client, Public, protocol) { SourcePort = clientPort, DestinationPort = publicPort };
        var reply = new ConntrackTuple(target, client ?? Client, protocol) { SourcePort = targetPort, DestinationPort = clientPort };
        return new ConntrackEntry(original, reply) { Id = id, Status = ConntrackStatus.DestinationNat | ConntrackStatus.Confirmed };
    }

    [Fact]
    public void A_connection_is_attributed_to_the_rule_whose_port_and_target_it_shows_and_its_record_says_who_where_and_how_much()
    {
        NatAccessTracker tracker = Tracker();
        tracker.EndSnapshot(accounting: true, timestamps: false).Type.Should().Be(NatAccessLogItemType.Started);
        ConntrackEntry web = Dnat(7, 40000, 8080, Server, 80);
        tracker.New(web).Should().BeTrue();
        DateTimeOffset opened = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(3));

        NatAccessRecord? record = tracker.Destroy(web with
        {
            OriginalCounters = new ConntrackCounters(6, 400),
            ReplyCounters = new ConntrackCounters(5, 70_300),
        });

        record.Should().NotBeNull();
        record!.Rule.Should().Be(Web);
        record.RuleText.Should().Be("dnat tcp 8080 to 10.0.2.2:80 from 10.0.1.0/24");
        record.Client.Should().Be(new IPEndPoint(Client, 40000));
        record.Public.Should().Be(new IPEndPoint(Public, 8080));
        record.PublicPort.Should().Be(8080);
        record.Target.Should().Be(new IPEndPoint(Server, 80));
        record.Protocol.Should().Be(ProtocolType.Tcp);
        record.ClientToServer.Should().Be(new ConntrackCounters(6, 400));
        record.ServerToClient.Should().Be(new ConntrackCounters(5, 70_300));
        record.Start.Should().Be(opened);
        record.StartSource.Should().Be(NatAccessTimeSource.Observed);
        record.End.Should().Be(opened + TimeSpan.FromSeconds(3));
        record.EndSource.Should().Be(NatAccessTimeSource.Observed);
        record.Duration.Should().Be(TimeSpan.FromSeconds(3));
        record.WasOpen.Should().BeFalse();
        record.ToString().Should().Be("2026-12-07T02:00:03.000Z tcp 10.0.1.2:40000 -> 10.0.1.1:8080 [dnat tcp 8080 to 10.0.2.2:80 from 10.0.1.0/24] sent to 10.0.2.2:80 for 3.000s, client 400 B/6 pkts, server 70300 B/5 pkts");
    }

    [Fact]
    public void Kernel_timestamps_win_over_observed_times_and_missing_counters_stay_unknown_not_zero()
    {
        NatAccessTracker tracker = Tracker();
        tracker.EndSnapshot(null, null);
        ConntrackEntry ssh = Dnat(9, 40001, 2222, Server, 22);
        tracker.New(ssh);
        var started = new DateTimeOffset(2026, 12, 7, 1, 59, 58, TimeSpan.Zero);
        var stopped = new DateTimeOffset(2026, 12, 7, 2, 0, 1, 500, TimeSpan.Zero);

        NatAccessRecord record = tracker.Destroy(ssh with { Started = started, Stopped = stopped })!;

        record.Rule.Should().Be(Ssh);
        (record.Start, record.StartSource, record.End, record.EndSource).Should().Be((started, NatAccessTimeSource.Kernel, stopped, NatAccessTimeSource.Kernel));
        record.Duration.Should().Be(TimeSpan.FromSeconds(3.5));
        record.ClientToServer.Should().BeNull();
        record.ServerToClient.Should().BeNull();
        record.ToString().Should().EndWith(", bytes unknown (accounting off)");
    }

    [Fact]
    public void A_redirect_is_recognised_by_its_public_port_and_its_target_port()
    {
        NatAccessTracker tracker = Tracker();
        tracker.EndSnapshot(null, null);
        ConntrackEntry dns = Dnat(3, 50000, 53, Public, 5353, ProtocolType.Udp);
        tracker.New(dns).Should().BeTrue();
        tracker.Destroy(dns)!.Rule.Should().Be(Proxy);
    }

    [Theory]
    [InlineData(2222, "10.0.2.2", 2222, "the target port is not the rule's")]
    [InlineData(2222, "10.0.2.9", 22, "the target address is not the rule's")]
    [InlineData(2223, "10.0.2.2", 22, "no rule has that public port")]
    public void A_connection_another_table_or_rule_translated_is_not_attributed_and_not_reported(ushort publicPort, string target, ushort targetPort, string because)
    {
        NatAccessTracker tracker = Tracker();
        tracker.EndSnapshot(null, null);
        ConntrackEntry other = Dnat(4, 40002, publicPort, IPAddress.Parse(target), targetPort);
        tracker.New(other).Should().BeFalse(because);
        tracker.Destroy(other).Should().BeNull(because);
        tracker.OpenCount.Should().Be(0);
    }

    [Fact]
    public void A_source_the_rule_does_not_accept_is_not_its_connection()
    {
        NatAccessTracker tracker = Tracker();
        tracker.EndSnapshot(null, null);
        tracker.New(Dnat(5, 40003, 8080, Server, 80, client: IPAddress.Parse("192.0.2.7"))).Should().BeFalse();
    }

    [Fact]
    public void Connections_open_at_start_are_left_out_by_default_and_their_end_is_not_reported()
    {
        NatAccessTracker tracker = Tracker(includeOpen: false);
        ConntrackEntry before = Dnat(11, 40010, 2222, Server, 22);
        tracker.Existing(before).Should().BeTrue();
        NatAccessLogItem started = tracker.EndSnapshot(true, true);
        started.OpenConnections.Should().Be(1);
        (started.Accounting, started.Timestamps).Should().Be((true, true));
        tracker.Destroy(before).Should().BeNull();
        tracker.IgnoredCount.Should().Be(0, "the end of an ignored connection forgets it");
    }

    [Fact]
    public void With_include_open_a_connection_in_the_start_snapshot_and_in_an_overlapping_new_event_is_reported_once()
    {
        NatAccessTracker tracker = Tracker(includeOpen: true);
        var began = new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
        ConntrackEntry open = Dnat(12, 40011, 2222, Server, 22) with { Started = began };
        tracker.Existing(open);
        ConntrackEntry unknownStart = Dnat(13, 40012, 2222, Server, 22);
        tracker.Existing(unknownStart);
        tracker.EndSnapshot(null, null).OpenConnections.Should().Be(2);
        tracker.New(open).Should().BeTrue("the event that overlapped the dump");

        NatAccessRecord first = tracker.Destroy(open)!;
        first.WasOpen.Should().BeTrue();
        (first.Start, first.StartSource).Should().Be((began, NatAccessTimeSource.Kernel));
        tracker.Destroy(open).Should().BeNull("a connection is reported once");

        NatAccessRecord second = tracker.Destroy(unknownStart)!;
        (second.Start, second.StartSource, second.Duration).Should().Be(((DateTimeOffset?)null, NatAccessTimeSource.Unknown, (TimeSpan?)null));
        second.ToString().Should().Contain("for unknown time (open before the log)");
    }

    [Fact]
    public void After_a_loss_the_re_read_table_settles_what_ended_unseen_and_what_began_unseen_without_duplicates()
    {
        NatAccessTracker tracker = Tracker();
        ConntrackEntry ignored = Dnat(20, 40020, 2222, Server, 22);
        tracker.Existing(ignored);
        tracker.EndSnapshot(null, null);
        ConntrackEntry endsUnseen = Dnat(21, 40021, 2222, Server, 22);
        ConntrackEntry survives = Dnat(22, 40022, 2222, Server, 22);
        tracker.New(endsUnseen);
        tracker.New(survives);

        tracker.Lost();
        tracker.Repairing.Should().BeTrue();
        tracker.BeginSnapshot();
        ConntrackEntry beganUnseen = Dnat(23, 40023, 2222, Server, 22);
        tracker.Existing(survives);
        tracker.Existing(beganUnseen);
        tracker.Existing(ignored);
        NatAccessLogItem lost = tracker.EndSnapshot(null, null);

        lost.Type.Should().Be(NatAccessLogItemType.Lost);
        lost.LostConnections.Should().Be(1);
        tracker.Repairing.Should().BeFalse();
        tracker.OpenCount.Should().Be(2);
        tracker.Destroy(endsUnseen).Should().BeNull("its end was lost: it is counted, never reported late");
        tracker.Destroy(survives)!.WasOpen.Should().BeFalse();
        tracker.Destroy(beganUnseen)!.WasOpen.Should().BeTrue();
        tracker.Destroy(ignored).Should().BeNull("open before the log, still left out after the re-read");
    }

    [Fact]
    public void The_same_id_with_another_tuple_is_another_connection()
    {
        NatAccessTracker tracker = Tracker();
        tracker.EndSnapshot(null, null);
        ConntrackEntry a = Dnat(30, 40030, 2222, Server, 22);
        ConntrackEntry b = Dnat(30, 40031, 2222, Server, 22);
        tracker.New(a);
        tracker.New(b);
        tracker.OpenCount.Should().Be(2);
        tracker.Destroy(a).Should().NotBeNull();
        tracker.Destroy(b).Should().NotBeNull();
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now;

        public ManualClock(DateTimeOffset now) => _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
