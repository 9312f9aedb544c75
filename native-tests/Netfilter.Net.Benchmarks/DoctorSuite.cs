using System.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Benchmarks;

public static partial class BenchmarkSuites
{
    private static readonly bool s_doctor = Add("doctor", DoctorAsync);

    /// <summary>
    /// A whole diagnosis of a router holding N masqueraded forwards (ruleset, routes, sockets,
    /// sysctls, conntrack, every check), and of one port, against `nft list ruleset`, which only
    /// reads the ruleset: the part of the work any diagnosis must do.
    /// </summary>
    private static async Task DoctorAsync(BenchmarkReport report, int runs)
    {
        foreach (int count in new[] { 100, 1_000, 10_000 })
        {
            using var topo = new Topology(serverRoutesViaRouter: false);
            using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace });
            var rules = new List<NatRule>(count);
            for (int i = 0; i < count; i++)
            {
                rules.Add(new DnatRule(TransportProtocol.Tcp, PortRange.Single(10_000 + i), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true));
            }
            await nat.ApplyAsync(rules);
            Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
            var all = new DoctorOptions { Namespace = topo.Router.Namespace };
            var one = new DoctorOptions { Namespace = topo.Router.Namespace, Port = 10_000 + count / 2 };
            double whole = await BenchmarkReport.MedianMsAsync(runs, async () =>
            {
                // A correct setup: the doctor must stay silent, or the timing measures something else.
                IReadOnlyList<DoctorFinding> findings = await Doctor.RunAsync(all);
                if (findings.Any(f => f.Severity >= DoctorSeverity.Warning))
                {
                    throw new InvalidOperationException("unexpected findings: " + string.Join("; ", findings));
                }
            });
            double port = await BenchmarkReport.MedianMsAsync(runs, async () => await Doctor.RunAsync(one));
            double nft = await BenchmarkReport.MedianMsAsync(runs, () => { topo.Router.Nft("list", "ruleset"); });
            report.Add($"doctor, {count:N0} forwards", whole, "nft list ruleset", nft, "doctor also reads routes, sockets, sysctls and conntrack");
            report.Add($"doctor --port, {count:N0} forwards", port, "nft list ruleset", nft, "the ruleset is read whole either way");
        }
    }
}
