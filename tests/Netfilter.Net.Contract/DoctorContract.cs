using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Contract;

/// <summary>
/// The doctor, against the fake and the kernel alike: the same findings, word for word (with the
/// namespace's name written as NS), for the same state, and the finding gone once it is fixed.
/// </summary>
public abstract class DoctorContract
{
    private const string Table = "ct_doc";
    private static readonly DnatRule Forward = new(TransportProtocol.Tcp, 2222, IPAddress.Parse("10.0.2.2"), 22, masquerade: true);

    protected abstract ContractKernel CreateKernel();

    private static async Task<List<string>> Diagnose(ContractKernel kernel, int? port = null)
    {
        IReadOnlyList<DoctorFinding> findings = await kernel.Doctor.DiagnoseAsync(kernel.DoctorOptions(Table, port));
        return findings.Select(f => kernel.Normalize(f.ToString()) + (f.Rule is null ? string.Empty : $"\n  rule: {f.Rule}")).ToList();
    }

    private static IEnumerable<string> Codes(IEnumerable<string> findings) => findings.Select(f => f[(f.IndexOf(' ') + 1)..f.IndexOf(':')]);

    [ContractFact]
    public async Task A_namespace_without_the_table_says_so()
    {
        using ContractKernel kernel = CreateKernel();

        List<string> findings = await Diagnose(kernel);

        findings.Should().ContainSingle();
        Codes(findings).Should().Equal(DoctorCodes.TableMissing);
    }

    [ContractFact]
    public async Task A_forward_with_forwarding_off_is_an_error_until_forwarding_is_on()
    {
        using ContractKernel kernel = CreateKernel();
        kernel.AddInterface("lan0", "10.0.2.1/24");
        using INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[] { Forward });

        List<string> off = await Diagnose(kernel);
        Codes(off).Should().Equal(DoctorCodes.ForwardingOff);
        off[0].Should().StartWith("error ip-forward-off: ");
        off[0].Should().EndWith($"\n  rule: {Forward}");

        kernel.Sysctl.EnableForwarding(NetfilterFamily.IPv4);
        (await Diagnose(kernel)).Should().BeEmpty();
    }

    [ContractFact]
    public async Task A_forward_without_a_route_to_its_target_is_an_error()
    {
        using ContractKernel kernel = CreateKernel();
        kernel.Sysctl.EnableForwarding(NetfilterFamily.IPv4);
        using INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[] { Forward });

        List<string> findings = await Diagnose(kernel);

        Codes(findings).Should().Equal(DoctorCodes.TargetUnreachable);
    }

    [ContractFact]
    public async Task A_forward_that_does_not_masquerade_may_have_no_return_path()
    {
        using ContractKernel kernel = CreateKernel();
        kernel.AddInterface("lan0", "10.0.2.1/24");
        kernel.Sysctl.EnableForwarding(NetfilterFamily.IPv4);
        using INatTable table = kernel.Tables.Open(Table);
        var bare = new DnatRule(TransportProtocol.Tcp, 2222, IPAddress.Parse("10.0.2.2"), 22);
        await table.ApplyAsync(new NatRule[] { bare });

        List<string> without = await Diagnose(kernel);
        Codes(without).Should().Equal(DoctorCodes.NoReturnPath);
        without[0].Should().StartWith("warning no-return-path: ");

        await table.ApplyAsync(new NatRule[] { bare, new MasqueradeRule("lan0") });
        (await Diagnose(kernel)).Should().BeEmpty();
    }

    [ContractFact]
    public async Task A_redirect_to_a_port_where_nothing_listens_is_an_error_until_something_listens()
    {
        using ContractKernel kernel = CreateKernel();
        using INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[] { new RedirectRule(TransportProtocol.Tcp, 80, 18080) });

        List<string> idle = await Diagnose(kernel, port: 80);
        Codes(idle).Should().Equal(DoctorCodes.TargetNotListening);
        idle[0].Should().StartWith("error target-not-listening: nothing listens on tcp port 18080 in NS, where 'redirect tcp 80 to 18080' redirects connections.");

        using (kernel.Listen(ProtocolType.Tcp, 18080))
        {
            (await Diagnose(kernel, port: 80)).Should().BeEmpty();
        }
        (await Diagnose(kernel, port: 443)).Should().ContainSingle().Which.Should().StartWith("info no-rule-for-port: ");
    }

    [ContractFact]
    public async Task A_piece_added_by_hand_is_drift()
    {
        using ContractKernel kernel = CreateKernel();
        kernel.AddInterface("lan0", "10.0.2.1/24");
        kernel.Sysctl.EnableForwarding(NetfilterFamily.IPv4);
        using INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[] { Forward });
        var handmade = new SetElement(NftData.Concat(NftData.FromByte(17), NftData.FromPort(53))) { Data = NftData.FromPort(5353) };
        await kernel.CommitByHandAsync(new NfTablesTransaction().AddElements(new Set(NetfilterFamily.Inet, Table, "redirect_pre"), new[] { handmade }));

        List<string> findings = await Diagnose(kernel);

        Codes(findings).Should().Equal(DoctorCodes.TableDrift);
        findings[0].Should().Contain("udp . 53 : 5353");
        await table.ApplyAsync(new NatRule[] { Forward });
        (await Diagnose(kernel)).Should().BeEmpty();
    }

    [ContractFact]
    public async Task A_table_someone_else_made_is_reported_not_adopted()
    {
        using ContractKernel kernel = CreateKernel();
        await kernel.CommitByHandAsync(new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, Table)));

        List<string> findings = await Diagnose(kernel);

        Codes(findings).Should().Equal(DoctorCodes.TableNotOwned);
    }

    [ContractFact]
    public async Task The_same_findings_in_the_same_words()
    {
        using ContractKernel kernel = CreateKernel();
        using IDisposable arranged = await ArrangeSameWords(kernel);

        List<string> findings = await Diagnose(kernel);

        string.Join("\n", findings).Split('\n').Should().Equal(ExpectedWords);
    }

    /// <summary>
    /// Two forwards and a redirect with one thing wrong each (the state of
    /// <see cref="The_same_findings_in_the_same_words"/>; nfnet's rendering of its fixes is pinned in Cli/FixCommandsTests).
    /// </summary>
    public static async Task<IReadOnlyList<DoctorFinding>> SameWordsFindings(ContractKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        using IDisposable arranged = await ArrangeSameWords(kernel);
        return await kernel.Doctor.DiagnoseAsync(kernel.DoctorOptions(Table));
    }

    /// <summary>Sets the state up; dispose the result when done with it (the table and the listener).</summary>
    private static async Task<IDisposable> ArrangeSameWords(ContractKernel kernel)
    {
        kernel.AddInterface("lan0", "10.0.2.1/24");
        INatTable table = kernel.Tables.Open(Table);
        await table.ApplyAsync(new NatRule[]
        {
            new DnatRule(TransportProtocol.Tcp, 2222, IPAddress.Parse("10.0.2.2"), 22),
            new DnatRule(TransportProtocol.Udp, 5353, IPAddress.Parse("127.0.0.1"), 53),
            new RedirectRule(TransportProtocol.Tcp, 80, 18080),
        });
        return new Disposables(table, kernel.Listen(ProtocolType.Udp, 53));
    }

    private sealed class Disposables(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (IDisposable item in items)
            {
                item.Dispose();
            }
        }
    }

    /// <summary>What the doctor says about the state of <see cref="The_same_findings_in_the_same_words"/>; NS is the namespace.</summary>
    private static readonly string[] ExpectedWords =
    {
        "error ip-forward-off: IPv4 forwarding is off in NS (net.ipv4.ip_forward = 0), and 'dnat tcp 2222 to 10.0.2.2:22' sends connections to another host (10.0.2.2).",
        "  why: After DNAT the packet is addressed to another host; with forwarding off the kernel drops it instead of routing it on, so clients time out.",
        "  fix: turn IPv4 forwarding on (Forwarding.Enable(NetfilterFamily.IPv4, null)).",
        "  rule: dnat tcp 2222 to 10.0.2.2:22",
        "error route-localnet-off: 'dnat udp 5353 to 127.0.0.1:53' forwards to the loopback address 127.0.0.1, but route_localnet is off on every interface (lan0).",
        "  why: After DNAT the kernel sees a packet from another host addressed to 127.0.0.1 and drops it as a martian unless net.ipv4.conf.<ingress>.route_localnet is 1; only connections made on this host could work. With route_localnet on, the kernel also accepts packets that arrive addressed to 127.0.0.1, so any host on that link can reach every service bound to localhost (CVE-2020-8558). Prefer a redirect (it delivers to the interface's own address) or a service listening on a non-loopback address; if you keep the forward, enable it on the ingress interface only and drop untranslated traffic: iifname != \"lo\" ip daddr 127.0.0.0/8 ct status != dnat drop.",
        "  fix: On the interface clients arrive on only: set net.ipv4.conf.lan0.route_localnet to 1 (RouteLocalnet.Enable(\"lan0\", null)); better, replace the forward with a redirect: remove 'dnat udp 5353 to 127.0.0.1:53' from table ct_doc, then add 'redirect udp 5353 to 53' to table ct_doc (NatTable.ApplyAsync with the RedirectRule in its place).",
        "  rule: dnat udp 5353 to 127.0.0.1:53",
        "error target-not-listening: nothing listens on tcp port 18080 in NS, where 'redirect tcp 80 to 18080' redirects connections.",
        "  why: The rule delivers to port 18080 on this host; with no socket there TCP clients get a reset (connection refused).",
        "  fix: Start the service on tcp port 18080 (bound to 0.0.0.0 or ::), or point the rule at the port the service uses: remove 'redirect tcp 80 to 18080' from table ct_doc, then add it with the right target port.",
        "  rule: redirect tcp 80 to 18080",
        "warning no-return-path: 'dnat tcp 2222 to 10.0.2.2:22' forwards to another host without masquerade, and no masquerade or SNAT rule covers connections leaving through lan0.",
        "  why: The server sees the client's address and answers it directly. 10.0.2.2 is on the network of lan0 here: if its default gateway is this host (10.0.2.1), replies come back without masquerade; otherwise the reply bypasses this host, the reverse translation never happens, and the client drops it: the connection hangs.",
        "  fix: Masquerade the forward: remove 'dnat tcp 2222 to 10.0.2.2:22' from table ct_doc then add 'dnat tcp 2222 to 10.0.2.2:22 masquerade' to table ct_doc (ApplyAsync with new DnatRule(..., masquerade: true)); or add 'masquerade oif lan0' to table ct_doc (MasqueradeRule); or make this host the server's gateway.",
        "  rule: dnat tcp 2222 to 10.0.2.2:22",
    };
}
