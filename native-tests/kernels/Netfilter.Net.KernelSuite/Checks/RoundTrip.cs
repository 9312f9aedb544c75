using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.KernelSuite.Checks;

/// <summary>
/// The round trip every ruleset check makes: a tool (nft -f, or iptables-nft-restore) writes a
/// ruleset into a fresh namespace; the library reads it, and its rendering must equal
/// <c>nft --debug=netlink list ruleset</c>; the library's <see cref="NfTablesTransaction.Recreate"/>
/// (so the library encodes every table, chain, set, element, object, flowtable and expression)
/// into another fresh namespace must list exactly as the first. Namespaces get the veth pairs a
/// ruleset names (flowtables, dup, fwd).
/// </summary>
internal static class RoundTrip
{
    /// <summary>How a script is loaded.</summary>
    public enum Loader
    {
        Nft,
        IptablesNftRestore,
        Ip6tablesNftRestore,
    }

    /// <summary>Runs the round trip; returns the expression names decoded. Fails if an expected one is missing or any decodes as unknown.</summary>
    public static async Task<string> RunAsync(string script, string[] expected, Loader loader = Loader.Nft, string[]? devices = null, Func<Rule[]>? probe = null)
    {
        devices ??= Array.Empty<string>();
        using TestNamespace source = WithDevices("src", devices);
        Tool.Result load = Load(source, loader, script);
        if (load.ExitCode != 0)
        {
            // The tool refused: when the library refuses the same expressions with its typed
            // "kernel lacks it" error, the kernel lacks the feature; otherwise this is a failure.
            if (probe is not null)
            {
                await ProbeAsync(devices, probe());
            }
            throw new CheckFailedException($"{loader} refused the ruleset: {load.StandardError.Trim()}");
        }
        return await CompareAsync(source, expected, devices);
    }

    /// <summary>The same round trip for a ruleset the library itself writes (forms no nft 1.0.6 can write).</summary>
    public static async Task<string> RunAsync(NfTablesTransaction written, string[] expected)
    {
        using TestNamespace source = WithDevices("src", Array.Empty<string>());
        using (var writer = new NfTablesClient(source.Namespace))
        {
            await writer.CommitAsync(written);
        }
        return await CompareAsync(source, expected, Array.Empty<string>());
    }

    private static async Task<string> CompareAsync(TestNamespace source, string[] expected, string[] devices)
    {
        using var client = new NfTablesClient(source.Namespace);
        Ruleset ruleset = await client.GetRulesetAsync();
        Expect.Equal(KernelComparison.DecodeDifference(source, ruleset), "decoding");
        List<string> names = ruleset.Rules.SelectMany(r => r.Expressions).Select(e => e.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        List<string> unknown = ruleset.Rules.SelectMany(r => r.Expressions).OfType<UnknownExpression>().Select(e => e.Name).Distinct().ToList();
        Expect.That(unknown.Count == 0, $"expressions decoded as unknown: {string.Join(", ", unknown)}");
        foreach (string name in expected)
        {
            Expect.That(names.Contains(name), $"no {name} expression decoded (got {string.Join(", ", names)})");
        }

        using TestNamespace target = WithDevices("dst", devices);
        using var targetClient = new NfTablesClient(target.Namespace);
        await targetClient.CommitAsync(NfTablesTransaction.Recreate(ruleset));
        Expect.Equal(KernelComparison.ListingDifference(source, target), "round trip through Recreate (nft list ruleset)");
        return $"{ruleset.Rules.Count} rules decoded as nft does and recreated identically; expressions: {string.Join(" ", names)}";
    }

    /// <summary>Commits <paramref name="rules"/> (with their table and chains) through the library; throws what the library throws.</summary>
    private static async Task ProbeAsync(string[] devices, Rule[] rules)
    {
        using TestNamespace ns = WithDevices("probe", devices);
        using var client = new NfTablesClient(ns.Namespace);
        var tx = new NfTablesTransaction();
        foreach (var table in rules.Select(r => (r.Family, r.Table)).Distinct())
        {
            tx.AddTable(new Table(table.Family, table.Table));
        }
        foreach (var chain in rules.Select(r => (r.Family, r.Table, r.Chain)).Distinct())
        {
            tx.AddChain(new Chain(chain.Family, chain.Table, chain.Chain));
        }
        foreach (Rule rule in rules)
        {
            tx.AddRule(rule);
        }
        await client.CommitAsync(tx);
    }

    public static Tool.Result Load(TestNamespace ns, Loader loader, string script) => loader switch
    {
        Loader.Nft => Tool.Run("ip", new[] { "netns", "exec", ns.Name, "nft", "-f", "-" }, script),
        Loader.IptablesNftRestore => Tool.Run("ip", new[] { "netns", "exec", ns.Name, "iptables-nft-restore" }, script),
        _ => Tool.Run("ip", new[] { "netns", "exec", ns.Name, "ip6tables-nft-restore" }, script),
    };

    /// <summary>A namespace with each "a:b" veth pair of <paramref name="pairs"/> up inside it.</summary>
    public static TestNamespace WithDevices(string role, string[] pairs)
    {
        var ns = new TestNamespace(role);
        try
        {
            foreach (string pair in pairs)
            {
                string[] ends = pair.Split(':');
                ns.Ip("link", "add", ends[0], "type", "veth", "peer", "name", ends[1]);
                ns.Ip("link", "set", ends[0], "up");
                ns.Ip("link", "set", ends[1], "up");
            }
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }
}
