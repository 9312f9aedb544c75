using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// Issue 16 item 2: the access log with real traffic. Two clients use two forwards with known
/// payloads each way; the log holds exactly one record per connection, with the rule, client,
/// target and byte counts that <c>conntrack -L -o extended</c> shows for it; the same for a UDP flow
/// and for an IPv6 forward. And an overflow: a tiny event buffer and a burst, where the loss is
/// reported and no connection comes twice.
/// </summary>
public sealed class NatAccessLogTests
{
    private static readonly NatRule Ssh = NatRuleParser.Parse("dnat tcp 2222 to 10.0.2.2:22 masquerade");
    private static readonly NatRule Web = NatRuleParser.Parse("dnat tcp 3000 to 10.0.2.2:80 masquerade");
    private static readonly NatRule Unrelated = NatRuleParser.Parse("dnat tcp 4000 to 10.0.2.2:22 masquerade");

    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [NativeFact]
    public async Task Two_clients_through_two_forwards_give_one_record_each_with_the_rule_client_target_and_the_bytes_conntrack_counted()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        topo.Client.Ip("addr", "add", "10.0.1.3/24", "dev", "eth0");
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var ssh = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "ssh");
        ssh.Extra = _ => new string('s', 1500);
        using var web = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 80), "web");
        web.Extra = _ => new string('w', 4000);
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace, FlushConntrackOnChange = false });
        await nat.ApplyAsync(new[] { Ssh, Web });
        using var conntrack = new ConntrackClient(topo.Router.Namespace);
        var sysctl = new SysctlClient(topo.Router.Namespace);
        sysctl.Read(SysctlKey.Parse("net.netfilter.nf_conntrack_acct")).Should().Be("0", "a fresh namespace counts no bytes");
        var log = new NatAccessLog(nat, conntrack, sysctl);
        await using var reading = LogReader.Start(log, new NatAccessLogOptions { EnableAccounting = true });

        NatAccessLogItem started = await reading.NextAsync();
        started.Type.Should().Be(NatAccessLogItemType.Started);
        started.Accounting.Should().BeTrue("the log turned accounting on in the router's namespace");
        started.OpenConnections.Should().Be(0);

        // (client, public port, bytes sent); the server answers with its banner line plus its payload.
        var plan = new (string Client, int Port, int Send)[] { ("10.0.1.2", 2222, 100), ("10.0.1.3", 2222, 700), ("10.0.1.2", 3000, 2000), ("10.0.1.3", 3000, 9000) };
        var exchanges = new List<(IPEndPoint Client, int Port, int Sent, int Received)>();
        foreach ((string client, int port, int send) in plan)
        {
            (IPEndPoint local, int received) = Exchange(topo.Client, Ep(client, 0), Ep("10.0.1.1", port), send);
            received.Should().BeGreaterThan(port == 2222 ? 1500 : 4000);
            exchanges.Add((local, port, send, received));
        }

        // Every connection closed both ways: once conntrack has them in TIME_WAIT no packet of theirs
        // moves again, so the counters the oracle reads are final.
        await WaitAsync(async () => (await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp })).Count(e => e.TcpState == TcpConntrackState.TimeWait) == 4,
            "the four connections reach TIME_WAIT");
        List<ConntrackToolLine> oracle = ConntrackOracle.List(topo.Router, "-p", "tcp");
        oracle.Should().HaveCount(4);
        // Their entries would linger for the TIME_WAIT timeout (120 s): end them now, as the kernel would.
        topo.Router.Check("conntrack", "-D", "-p", "tcp");

        var records = new List<NatAccessRecord>();
        while (records.Count < 4)
        {
            NatAccessLogItem item = await reading.NextAsync();
            item.Type.Should().Be(NatAccessLogItemType.Connection, "nothing was lost");
            records.Add(item.Record!);
        }
        IReadOnlyList<NatAccessLogItem> rest = await reading.StopAsync();
        rest.Should().BeEmpty("exactly one record per connection");

        foreach ((IPEndPoint client, int port, int sent, int received) in exchanges)
        {
            NatAccessRecord record = records.Single(r => r.Client.Equals(client));
            ConntrackToolLine line = oracle.Single(l => l.Original["sport"] == client.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            record.Id.Should().Be(line.Id);
            record.RuleText.Should().Be(port == 2222 ? Ssh.ToString() : Web.ToString());
            record.Public.Should().Be(Ep("10.0.1.1", port));
            record.Target.Should().Be(Ep("10.0.2.2", port == 2222 ? 22 : 80));
            record.ClientToServer.Should().Be(new ConntrackCounters(ulong.Parse(line.Original["packets"]), ulong.Parse(line.Original["bytes"])), $"conntrack -L: {client} -> {port}");
            record.ServerToClient.Should().Be(new ConntrackCounters(ulong.Parse(line.Reply["packets"]), ulong.Parse(line.Reply["bytes"])));
            // Payload plus at least 40 bytes of IPv4 and TCP header per packet.
            record.ClientToServer!.Value.Bytes.Should().BeGreaterThanOrEqualTo((ulong)sent + 40 * record.ClientToServer.Value.Packets);
            record.ServerToClient!.Value.Bytes.Should().BeGreaterThanOrEqualTo((ulong)received + 40 * record.ServerToClient.Value.Packets);
            record.StartSource.Should().Be(NatAccessTimeSource.Observed);
            record.Duration.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero);
            record.WasOpen.Should().BeFalse();
        }
    }

    [NativeFact]
    public async Task Connections_open_at_start_are_reported_once_with_since_start_and_other_forwards_not_at_all()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var ssh = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "ssh");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace, FlushConntrackOnChange = false });
        await nat.ApplyAsync(new[] { Ssh });
        // A second table forwards port 4000: its connections are not this log's.
        using var other = new NatTable("other", new NatTableOptions { Namespace = topo.Router.Namespace, FlushConntrackOnChange = false });
        await other.ApplyAsync(new[] { Unrelated });
        using var conntrack = new ConntrackClient(topo.Router.Namespace);
        var sysctl = new SysctlClient(topo.Router.Namespace);
        sysctl.Write(SysctlKey.Parse("net.netfilter.nf_conntrack_timestamp"), "1");
        // An entry made while no ctnetlink listener exists reports its end only with events = 1
        // (with the default 2 it gets no event extension; see ConntrackClient.WatchAsync).
        sysctl.Write(SysctlKey.Parse("net.netfilter.nf_conntrack_events"), "1");

        (IPEndPoint before, _) = Exchange(topo.Client, null, Ep("10.0.1.1", 2222), 10);
        var log = new NatAccessLog(nat, conntrack, new SysctlClient(topo.Router.Namespace));
        await using var reading = LogReader.Start(log, new NatAccessLogOptions { IncludeOpen = true });
        NatAccessLogItem started = await reading.NextAsync();
        (started.OpenConnections, started.Timestamps).Should().Be((1, true));

        (IPEndPoint after, _) = Exchange(topo.Client, null, Ep("10.0.1.1", 2222), 10);
        (IPEndPoint unrelated, _) = Exchange(topo.Client, null, Ep("10.0.1.1", 4000), 10);
        await WaitAsync(async () => (await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp })).Count(e => e.TcpState == TcpConntrackState.TimeWait) == 3,
            "the three connections reach TIME_WAIT");
        topo.Router.Check("conntrack", "-D", "-p", "tcp");

        NatAccessRecord first = (await reading.NextAsync()).Record!;
        NatAccessRecord second = (await reading.NextAsync()).Record!;
        IReadOnlyList<NatAccessLogItem> rest = await reading.StopAsync();
        rest.Should().BeEmpty("the port 4000 connection belongs to another table");
        new[] { first, second }.Select(r => r.Client).Should().BeEquivalentTo(new[] { before, after });
        new[] { first, second }.Should().NotContain(r => r.Client.Equals(unrelated));
        NatAccessRecord open = first.Client.Equals(before) ? first : second;
        open.WasOpen.Should().BeTrue();
        (open.StartSource, open.EndSource).Should().Be((NatAccessTimeSource.Kernel, NatAccessTimeSource.Kernel), "nf_conntrack_timestamp was on when it began");
        open.ClientToServer.Should().BeNull("accounting was off: bytes unknown, not 0");
    }

    [NativeFact]
    public async Task A_burst_into_a_tiny_buffer_reports_the_loss_and_never_reports_a_connection_twice()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var ssh = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "ssh");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace, FlushConntrackOnChange = false });
        await nat.ApplyAsync(new[] { Ssh });
        using var conntrack = new ConntrackClient(topo.Router.Namespace);
        var log = new NatAccessLog(nat, conntrack, new SysctlClient(topo.Router.Namespace));
        // The kernel's smallest receive buffer (SO_RCVBUFFORCE clamps 1 up to SOCK_MIN_RCVBUF): a few events fill it.
        await using var reading = LogReader.Start(log, new NatAccessLogOptions { ReceiveBufferSize = 1, EnableAccounting = true });
        (await reading.NextAsync()).Type.Should().Be(NatAccessLogItemType.Started);

        const int PerBurst = 150;
        int made = 0;
        var clients = new HashSet<IPEndPoint>();
        bool lost = false;
        for (int burst = 0; burst < 5 && !lost; burst++)
        {
            for (int i = 0; i < PerBurst; i++)
            {
                clients.Add(Exchange(topo.Client, null, Ep("10.0.1.1", 2222), 1).Local);
                made++;
            }
            // One delete of every entry: the kernel emits all their DESTROY events at once.
            topo.Router.Check("conntrack", "-D", "-p", "tcp");
            lost = await reading.WaitForAsync(i => i.Type == NatAccessLogItemType.Lost, TimeSpan.FromSeconds(10));
        }
        lost.Should().BeTrue($"{made} connections ended at once into a buffer of a few events");

        // The log goes on after the loss: connections one at a time are reported. While the burst's
        // events still crowd the buffer, one may be lost again, which the log then says: each
        // connection is either reported or followed by a loss, and three get through (bounded: 20).
        var after = new List<IPEndPoint>();
        for (int attempt = 0; attempt < 20 && after.Count < 3; attempt++)
        {
            IPEndPoint client = Exchange(topo.Client, null, Ep("10.0.1.1", 2222), 1).Local;
            clients.Add(client);
            made++;
            topo.Router.Check("conntrack", "-D", "-p", "tcp", "--orig-port-src", client.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            (await reading.WaitForAsync(item => item.Record?.Client.Equals(client) == true || item.Type == NatAccessLogItemType.Lost, TimeSpan.FromSeconds(10)))
                .Should().BeTrue($"connection {client} after the loss is reported, or a new loss is");
            if (reading.Seen[^1].Record?.Client.Equals(client) == true)
            {
                after.Add(client);
            }
        }
        after.Should().HaveCount(3, "connections one at a time get through once the burst has drained");
        IReadOnlyList<NatAccessLogItem> items = await reading.StopAsync();
        List<NatAccessRecord> records = reading.Seen.Concat(items).Where(i => i.Record is not null).Select(i => i.Record!).ToList();
        records.Select(r => (r.Id, r.Client)).Should().OnlyHaveUniqueItems("a connection is never reported twice");
        records.Select(r => r.Client).Should().OnlyContain(c => clients.Contains(c));
        records.Select(r => r.Client).Should().Contain(after);
        records.Count.Should().BeLessThanOrEqualTo(made);
        records.Should().OnlyContain(r => r.RuleText == Ssh.ToString());
        reading.Seen.Concat(items).Where(i => i.Type == NatAccessLogItemType.Lost).Sum(i => i.LostConnections).Should().BeLessThanOrEqualTo(made - records.Count,
            "a connection counted as ended unseen is never reported too");
    }

    [NativeFact]
    public async Task A_udp_flow_through_a_forward_gives_one_record_with_the_rule_client_and_the_bytes_conntrack_counted()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var dns = Traffic.StartUdp(topo.Server, Ep("0.0.0.0", 53), "dns");
        NatRule rule = NatRuleParser.Parse("dnat udp 5353 to 10.0.2.2:53 masquerade");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace, FlushConntrackOnChange = false });
        await nat.ApplyAsync(new[] { rule });
        using var conntrack = new ConntrackClient(topo.Router.Namespace);
        var log = new NatAccessLog(nat, conntrack, new SysctlClient(topo.Router.Namespace));
        await using var reading = LogReader.Start(log, new NatAccessLogOptions { EnableAccounting = true });
        (await reading.NextAsync()).Type.Should().Be(NatAccessLogItemType.Started);

        // Three datagrams and their three answers on one socket: one conntrack entry, so one "connection".
        (IPEndPoint client, int sent, int received) = UdpExchange(topo.Client, Ep("10.0.1.1", 5353), 3);
        List<ConntrackToolLine> oracle = ConntrackOracle.List(topo.Router, "-p", "udp");
        oracle.Should().ContainSingle();
        // The flow would end after the UDP timeout (30 s or more): end it now, as the kernel would.
        topo.Router.Check("conntrack", "-D", "-p", "udp");

        NatAccessLogItem item = await reading.NextAsync();
        item.Type.Should().Be(NatAccessLogItemType.Connection);
        NatAccessRecord record = item.Record!;
        IReadOnlyList<NatAccessLogItem> rest = await reading.StopAsync();
        rest.Should().BeEmpty("one record for the flow");
        ConntrackToolLine line = oracle[0];
        record.Id.Should().Be(line.Id);
        record.Protocol.Should().Be(ProtocolType.Udp);
        record.Client.Should().Be(client);
        record.RuleText.Should().Be(rule.ToString());
        record.Public.Should().Be(Ep("10.0.1.1", 5353));
        record.Target.Should().Be(Ep("10.0.2.2", 53));
        record.ClientToServer.Should().Be(new ConntrackCounters(ulong.Parse(line.Original["packets"]), ulong.Parse(line.Original["bytes"])), "conntrack -L");
        record.ServerToClient.Should().Be(new ConntrackCounters(ulong.Parse(line.Reply["packets"]), ulong.Parse(line.Reply["bytes"])));
        // Each datagram: its payload plus 20 bytes of IPv4 and 8 of UDP header.
        record.ClientToServer.Should().Be(new ConntrackCounters(3, (ulong)(sent + (3 * 28))));
        record.ServerToClient.Should().Be(new ConntrackCounters(3, (ulong)(received + (3 * 28))));
    }

    [NativeFact]
    public async Task An_ipv6_forward_gives_one_record_per_connection_with_the_bytes_conntrack_counted()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv6, topo.Router.Namespace);
        using var ssh = Traffic.StartTcp(topo.Server, Ep("::", 22), "ssh");
        ssh.Extra = _ => new string('s', 1500);
        NatRule rule = NatRuleParser.Parse("dnat tcp 2222 to [fd02::2]:22 masquerade");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace, FlushConntrackOnChange = false });
        await nat.ApplyAsync(new[] { rule });
        using var conntrack = new ConntrackClient(topo.Router.Namespace);
        var log = new NatAccessLog(nat, conntrack, new SysctlClient(topo.Router.Namespace));
        await using var reading = LogReader.Start(log, new NatAccessLogOptions { EnableAccounting = true });
        (await reading.NextAsync()).Type.Should().Be(NatAccessLogItemType.Started);

        var exchanges = new List<(IPEndPoint Client, int Sent, int Received)>();
        foreach (int send in new[] { 300, 5000 })
        {
            (IPEndPoint local, int received) = Exchange(topo.Client, null, Ep("fd01::1", 2222), send);
            received.Should().BeGreaterThan(1500);
            exchanges.Add((local, send, received));
        }
        await WaitAsync(async () => (await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp })).Count(e => e.TcpState == TcpConntrackState.TimeWait) == 2,
            "the two connections reach TIME_WAIT");
        List<ConntrackToolLine> oracle = ConntrackOracle.List(topo.Router, "-f", "ipv6", "-p", "tcp");
        oracle.Should().HaveCount(2);
        topo.Router.Check("conntrack", "-D", "-f", "ipv6", "-p", "tcp");

        var records = new List<NatAccessRecord>();
        while (records.Count < 2)
        {
            NatAccessLogItem item = await reading.NextAsync();
            item.Type.Should().Be(NatAccessLogItemType.Connection, "nothing was lost");
            records.Add(item.Record!);
        }
        IReadOnlyList<NatAccessLogItem> rest = await reading.StopAsync();
        rest.Should().BeEmpty("exactly one record per connection");
        foreach ((IPEndPoint client, int sent, int received) in exchanges)
        {
            NatAccessRecord record = records.Single(r => r.Client.Equals(client));
            ConntrackToolLine line = oracle.Single(l => l.Original["sport"] == client.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            record.Id.Should().Be(line.Id);
            record.RuleText.Should().Be(rule.ToString());
            record.Public.Should().Be(Ep("fd01::1", 2222));
            record.Target.Should().Be(Ep("fd02::2", 22));
            record.ClientToServer.Should().Be(new ConntrackCounters(ulong.Parse(line.Original["packets"]), ulong.Parse(line.Original["bytes"])), $"conntrack -L: {client}");
            record.ServerToClient.Should().Be(new ConntrackCounters(ulong.Parse(line.Reply["packets"]), ulong.Parse(line.Reply["bytes"])));
            // Payload plus at least 60 bytes of IPv6 and TCP header per packet.
            record.ClientToServer!.Value.Bytes.Should().BeGreaterThanOrEqualTo((ulong)sent + 60 * record.ClientToServer.Value.Packets);
            record.ServerToClient!.Value.Bytes.Should().BeGreaterThanOrEqualTo((ulong)received + 60 * record.ServerToClient.Value.Packets);
        }
    }

    /// <summary>Sends <paramref name="count"/> datagrams from one socket in <paramref name="ns"/>, each answered before the next; returns the socket's address and the payload bytes each way.</summary>
    private static (IPEndPoint Local, int Sent, int Received) UdpExchange(TestNamespace ns, IPEndPoint target, int count)
    {
        using Socket socket = ns.Namespace.Run(() => new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        socket.Connect(target);
        var local = (IPEndPoint)socket.LocalEndPoint!;
        int sent = 0, received = 0;
        var buffer = new byte[2048];
        for (int i = 0; i < count; i++)
        {
            byte[] payload = System.Text.Encoding.ASCII.GetBytes($"query {i}\n");
            sent += socket.Send(payload);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            received += socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).AsTask().GetAwaiter().GetResult();
        }
        return (local, sent, received);
    }

    /// <summary>Connects from <paramref name="ns"/>, sends <paramref name="send"/> bytes, closes its side, reads to the end, closes.</summary>
    internal static (IPEndPoint Local, int Received) Exchange(TestNamespace ns, IPEndPoint? bind, IPEndPoint target, int send)
    {
        using Socket socket = ns.Namespace.Run(() =>
        {
            var s = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (bind is not null)
            {
                s.Bind(bind);
            }
            return s;
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        socket.ConnectAsync(target, cts.Token).AsTask().GetAwaiter().GetResult();
        var local = (IPEndPoint)socket.LocalEndPoint!;
        byte[] payload = new byte[send];
        Array.Fill(payload, (byte)'c');
        int sent = 0;
        while (sent < send)
        {
            sent += socket.SendAsync(payload.AsMemory(sent), SocketFlags.None, cts.Token).AsTask().GetAwaiter().GetResult();
        }
        socket.Shutdown(SocketShutdown.Send);
        var buffer = new byte[65536];
        int received = 0;
        while (true)
        {
            int n = socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).AsTask().GetAwaiter().GetResult();
            if (n == 0)
            {
                break;
            }
            received += n;
        }
        return (local, received);
    }

    internal static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, what);
            await Task.Delay(20);
        }
    }

    /// <summary>Reads a log on a task of its own into a channel, so a test can await its items one by one.</summary>
    private sealed class LogReader : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(120));
        private readonly Channel<NatAccessLogItem> _items = Channel.CreateUnbounded<NatAccessLogItem>();
        private Task _loop = Task.CompletedTask;

        /// <summary>Items <see cref="WaitForAsync"/> read past.</summary>
        public List<NatAccessLogItem> Seen { get; } = new();

        public static LogReader Start(NatAccessLog log, NatAccessLogOptions options)
        {
            var reader = new LogReader();
            reader._loop = Task.Run(async () =>
            {
                try
                {
                    await foreach (NatAccessLogItem item in log.ReadAsync(options, reader._stop.Token))
                    {
                        reader._items.Writer.TryWrite(item);
                    }
                    reader._items.Writer.TryComplete();
                }
                catch (Exception e)
                {
                    reader._items.Writer.TryComplete(e);
                }
            });
            return reader;
        }

        public async Task<NatAccessLogItem> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            return await _items.Reader.ReadAsync(timeout.Token);
        }

        /// <summary>Reads until an item matches (true) or <paramref name="within"/> passes (false), keeping what it read in <see cref="Seen"/>.</summary>
        public async Task<bool> WaitForAsync(Func<NatAccessLogItem, bool> match, TimeSpan within)
        {
            using var timeout = new CancellationTokenSource(within);
            try
            {
                while (true)
                {
                    NatAccessLogItem item = await _items.Reader.ReadAsync(timeout.Token);
                    Seen.Add(item);
                    if (match(item))
                    {
                        return true;
                    }
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return false;
            }
        }

        /// <summary>Ends the log (as Ctrl-C would) and returns what it had yielded and nobody read.</summary>
        public async Task<IReadOnlyList<NatAccessLogItem>> StopAsync()
        {
            _stop.Cancel();
            await _loop;
            var rest = new List<NatAccessLogItem>();
            await foreach (NatAccessLogItem item in _items.Reader.ReadAllAsync())
            {
                rest.Add(item);
            }
            return rest;
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _loop;
            _stop.Dispose();
        }
    }
}
