using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Cli.Demo;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Cli.Rulesets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet demo, the README's first command: builds throwaway client, router and server
/// namespaces (iproute2, scaffolding only), then through the library turns on forwarding in the
/// router and applies a forward with masquerade and a redirect, sends real connections through
/// them, prints the rules and the conntrack entries with their translation, and deletes the
/// namespaces again, also after Ctrl-C or a failure. The host is never touched.
/// </summary>
internal static class DemoCommand
{
    private const string Table = "demo";

    public static Command Create()
    {
        var command = new Command("demo", "See the library at work in three throwaway network namespaces (client, router, server): forwarding, a DNAT with masquerade, a REDIRECT, real traffic, conntrack; the host is left untouched");
        var hold = new Option<bool>("--hold") { Description = "Keep the namespaces until Ctrl-C, to look around in them (ip netns exec ...), then delete them" };
        command.Options.Add(hold);
        CommandAction.Set(command, (context, cancellationToken) => RunAsync(context, context.GetValue(hold), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, bool hold, CancellationToken cancellationToken)
    {
        if (context.NamespaceName is not null)
        {
            throw new UsageException("demo builds its own throwaway namespaces: --netns does not apply to it");
        }
        TextWriter o = context.Output;
        var clock = Stopwatch.StartNew();
        o.WriteLine("nfnet demo: Netfilter.Net at work in three throwaway network namespaces; the host is not touched.");
        Section(o, "1. the topology (built with iproute2: scaffolding only)");
        using DemoTopology topology = DemoTopology.Create();
        o.WriteLine($"   {topology.Client}   10.0.1.2 ── 10.0.1.1  {topology.Router}  10.0.2.1 ── 10.0.2.2   {topology.Server}");
        o.WriteLine("   the client routes through the router; the server has no route back to the client's network");
        bool ok = true;
        try
        {
            using NetworkNamespace client = NetworkNamespace.FromName(topology.Client);
            using NetworkNamespace router = NetworkNamespace.FromName(topology.Router);
            using NetworkNamespace server = NetworkNamespace.FromName(topology.Server);

            Section(o, "2. the router, through the library");
            Forwarding.Enable(NetfilterFamily.IPv4, router);
            o.WriteLine($"   Forwarding.Enable(IPv4): net.ipv4.ip_forward is {(Forwarding.GetStatus(router).IPv4 ? "on" : "off")}");
            var rules = new NatRule[]
            {
                new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true),
                new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080),
            };
            using var nat = new NatTable(Table, new NatTableOptions { Namespace = router });
            NatApplyResult applied = await nat.ApplyAsync(rules, cancellationToken).ConfigureAwait(false);
            o.WriteLine($"   new NatTable(\"{Table}\").ApplyAsync(...), one atomic transaction:");
            foreach (NatRule rule in applied.Added)
            {
                o.WriteLine($"     + {rule}");
            }

            Section(o, "3. real traffic");
            using BannerServer ssh = BannerServer.Start(server, new IPEndPoint(IPAddress.Parse("10.0.2.2"), 22), "the server");
            using BannerServer proxy = BannerServer.Start(router, new IPEndPoint(IPAddress.Any, 8080), "the router's local service");
            o.WriteLine("   listening: 10.0.2.2:22 in the server namespace, *:8080 in the router namespace");
            ok &= await ConnectAsync(o, client, "10.0.1.1", 2222, cancellationToken).ConfigureAwait(false);
            ok &= await ConnectAsync(o, client, "10.0.1.1", 80, cancellationToken).ConfigureAwait(false);

            Section(o, "4. the rules, read back from the kernel");
            o.WriteLine("   the typed rules (NatTable.ListAsync):");
            foreach (NatRule rule in await nat.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                o.WriteLine($"     {rule}");
            }
            ShowRuleset(o, topology, router, cancellationToken);

            Section(o, "5. conntrack: the connections and their translation (ConntrackClient in the router)");
            using (var conntrack = new ConntrackClient(router))
            {
                IReadOnlyList<ConntrackEntry> entries = await conntrack.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                List<ConntrackEntry> translated = entries.Where(e => e.Translation is not null).ToList();
                foreach (ConntrackEntry entry in translated)
                {
                    o.WriteLine($"   {ConntrackText.Line(entry)}");
                }
                if (translated.Count == 0)
                {
                    o.WriteLine("   (no translated connections: the traffic above did not pass)");
                    ok = false;
                }
            }
            if (hold)
            {
                Section(o, "holding: the namespaces stay until Ctrl-C");
                o.WriteLine($"   look around, e.g.: ip netns exec {topology.Router} nfnet list --table {Table}");
                o.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C ends the hold; the namespaces go below.
                }
            }
        }
        finally
        {
            Section(o, "6. cleanup");
            topology.Dispose();
            o.WriteLine(topology.IsGone()
                ? $"   deleted the three namespaces and everything in them; the host's ruleset, conntrack table and sysctls were never touched ({clock.Elapsed.TotalSeconds:0.0} s)"
                : $"   could not delete every namespace: remove them with 'ip netns del {string.Join(" / ", topology.All)}'");
        }
        if (!ok)
        {
            throw new CommandFailedException("the demo's traffic did not get through (see above): the kernel may lack nf_nat or the veth driver");
        }
        return ExitCodes.Success;
    }

    private static void Section(TextWriter o, string title)
    {
        o.WriteLine();
        o.WriteLine("== " + title);
    }

    private static async Task<bool> ConnectAsync(TextWriter o, NetworkNamespace client, string address, int port, CancellationToken cancellationToken)
    {
        string? answer = await BannerServer.RequestAsync(client, new IPEndPoint(IPAddress.Parse(address), port), cancellationToken).ConfigureAwait(false);
        o.WriteLine($"   client -> {address}:{port}: " + (answer is null ? "no answer within 3 s" : $"\"{answer}\""));
        return answer is not null;
    }

    /// <summary>nft's own listing when nft is installed (display only); otherwise the library's decoding of the same ruleset.</summary>
    private static void ShowRuleset(TextWriter o, DemoTopology topology, NetworkNamespace router, CancellationToken cancellationToken)
    {
        if (ExternalTool.IsInstalled("nft"))
        {
            ExternalTool.Result nft = ExternalTool.Run("ip", "netns", "exec", topology.Router, "nft", "list", "ruleset");
            if (nft.ExitCode == 0)
            {
                o.WriteLine("   as nft shows them (nft list ruleset, in the router):");
                Indent(o, nft.Output, "     ");
                return;
            }
        }
        using var client = new NfTablesClient(router);
        Ruleset ruleset = client.GetRulesetAsync(cancellationToken: cancellationToken).GetAwaiter().GetResult();
        o.WriteLine("   as the library decodes them (nft is not installed; 'nfnet ruleset show' prints the same):");
        Indent(o, RulesetTextWriter.Render(ruleset), "     ");
    }

    private static void Indent(TextWriter o, string text, string indent)
    {
        foreach (string line in text.TrimEnd('\n').Split('\n'))
        {
            o.WriteLine(indent + line);
        }
    }
}
