using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Sockets;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Benchmarks;

public static partial class BenchmarkSuites
{
    private static readonly bool s_sysctlSockets = Add("sysctl-sockets", SysctlSocketsAsync);

    /// <summary>
    /// Sysctl reads, listening-socket listings and TPROXY routing reads/setup in a namespace:
    /// the library against sysctl, ss and ip run in the same namespace (which includes their
    /// process start, as a caller that shells out pays it too).
    /// </summary>
    private static async Task SysctlSocketsAsync(BenchmarkReport report, int runs)
    {
        using var ns = new TestNamespace("bench");

        var sysctl = new SysctlClient(ns.Namespace);
        double libraryRead = await BenchmarkReport.MedianMsAsync(runs, () => { sysctl.Read(SysctlKey.IPv4Forward); });
        double toolRead = await BenchmarkReport.MedianMsAsync(runs, () => { ns.Check("sysctl", "-n", "net.ipv4.ip_forward"); });
        report.Add("read net.ipv4.ip_forward in a namespace", libraryRead, "ip netns exec sysctl -n", toolRead, "library: one namespace thread per call");

        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < 500; i++)
            {
                Socket tcp = ns.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                sockets.Add(tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, 20000 + i));
                tcp.Listen();
                Socket udp = ns.Namespace.Run(() => new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
                sockets.Add(udp);
                udp.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 30000 + i));
            }
            double libraryList = await BenchmarkReport.MedianMsAsync(runs, async () =>
            {
                int n = (await ListeningSockets.ListAsync(ns.Namespace)).Count;
                if (n != 1000) throw new InvalidOperationException($"listed {n} sockets");
            });
            double ss = await BenchmarkReport.MedianMsAsync(runs, () => { ns.Check("ss", "-ltunH"); });
            report.Add("list 1,000 listening sockets (500 tcp4 + 500 udp6)", libraryList, "ss -ltunH", ss, "library: 4 dumps (tcp/udp x v4/v6)");
        }
        finally
        {
            foreach (Socket s in sockets) s.Dispose();
        }

        var routing = new TproxyRouting(mark: 1, table: 100);
        await routing.EnsureAsync(ns.Namespace);
        double libraryState = await BenchmarkReport.MedianMsAsync(runs, async () =>
        {
            if (!(await routing.GetStateAsync(ns.Namespace)).IsComplete) throw new InvalidOperationException("incomplete");
        });
        double ipShow = await BenchmarkReport.MedianMsAsync(runs, () =>
        {
            ns.Ip("rule", "show");
            ns.Ip("-6", "rule", "show");
            ns.Ip("route", "show", "table", "100");
            ns.Ip("-6", "route", "show", "table", "100");
        });
        report.Add("read TPROXY routing (rules + table, v4 and v6)", libraryState, "4x ip ... show", ipShow, "ip: 4 process starts");

        double libraryCycle = await BenchmarkReport.MedianMsAsync(runs, async () =>
        {
            await routing.RemoveAsync(ns.Namespace);
            await routing.EnsureAsync(ns.Namespace);
        });
        double ipCycle = await BenchmarkReport.MedianMsAsync(runs, () =>
        {
            ns.Ip("rule", "del", "fwmark", "1", "lookup", "100");
            ns.Ip("-6", "rule", "del", "fwmark", "1", "lookup", "100");
            ns.Ip("route", "del", "local", "0.0.0.0/0", "dev", "lo", "table", "100");
            ns.Ip("-6", "route", "del", "local", "::/0", "dev", "lo", "table", "100");
            ns.Ip("rule", "add", "fwmark", "1", "lookup", "100");
            ns.Ip("-6", "rule", "add", "fwmark", "1", "lookup", "100");
            ns.Ip("route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100");
            ns.Ip("-6", "route", "add", "local", "::/0", "dev", "lo", "table", "100");
        });
        report.Add("remove + ensure TPROXY routing (v4 and v6)", libraryCycle, "8x ip rule/route del/add", ipCycle, "library reads before it writes (idempotent)");
    }
}
