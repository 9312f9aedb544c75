using System.IO;
using System.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Corpus.Real;

/// <summary>
/// One ruleset of the corpus in Corpus/real: what another project (router firmware, container
/// engine, Kubernetes proxy, firewall daemon) writes into a machine's kernel. Each file starts
/// with comment lines <c># key: value</c>: project, version, source (the documentation or test it
/// was written from), load (<c>nft -f</c>, <c>iptables-nft-restore</c> or
/// <c>ip6tables-nft-restore</c>), devices (veth pairs "a:b" the ruleset names, e.g. for a
/// flowtable) and needs (a kernel feature, e.g. flowtables).
/// </summary>
public sealed record RealRulesetFile(string Name, string Text)
{
    public string Header(string key) =>
        Text.Split('\n').TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#', ' ').TrimEnd())
            .Where(l => l.StartsWith(key + ":", StringComparison.Ordinal)).Select(l => l[(key.Length + 1)..].Trim()).FirstOrDefault() ?? string.Empty;

    public string Project => Header("project");

    public string Loader => Header("load");

    public string[] Devices => Header("devices").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>"flowtables" when the ruleset needs a kernel with flowtables.</summary>
    public string Needs => Header("needs");

    public override string ToString() => Name;
}

/// <summary>
/// The checks every real ruleset passes, in namespaces of their own, beside a NatTable of ours
/// (a forward with masquerade, in table inet nfnet, the way a user's machine holds both):
/// (a) the library decodes the whole namespace exactly as <c>nft --debug=netlink list ruleset</c>
/// shows it; (b) <see cref="NfTablesTransaction.Recreate"/> of it into a fresh namespace lists
/// identically (<c>nft list ruleset</c>); (c) the doctor reads it all: no exception, and no
/// check skipped for something it could not read. Plain C#: the kernel suite compiles it too.
/// </summary>
public static class RealRuleset
{
    private static readonly DnatRule Forward = new(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true);

    /// <summary>The corpus files beside this class (the native tests' output directory holds a copy).</summary>
    public static IEnumerable<RealRulesetFile> FromDirectory(string directory) =>
        Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".nft", StringComparison.Ordinal) || f.EndsWith(".rules", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal).Select(f => new RealRulesetFile(Path.GetFileName(f), File.ReadAllText(f)));

    /// <summary>Loads <paramref name="file"/> where the doctor can judge our forward, and runs (a), (b) and (c). Returns a summary.</summary>
    public static async Task<string> CheckAsync(RealRulesetFile file)
    {
        using TestNamespace source = Prepare("real", file);
        Load(source, file);
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = source.Namespace });
        await nat.ApplyAsync(new NatRule[] { Forward });

        using var client = new NfTablesClient(source.Namespace);
        Ruleset ruleset = await client.GetRulesetAsync();
        Fail(KernelComparison.DecodeDifference(source, ruleset), $"{file}: (a) decoding");
        List<string> unknown = ruleset.Rules.SelectMany(r => r.Expressions).OfType<UnknownExpression>().Select(e => e.Name).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw new RealRulesetException($"{file}: expressions decoded as unknown: {string.Join(", ", unknown)}");
        }

        using (TestNamespace target = Prepare("realcopy", file))
        {
            using var targetClient = new NfTablesClient(target.Namespace);
            await targetClient.CommitAsync(NfTablesTransaction.Recreate(ruleset));
            Fail(KernelComparison.ListingDifference(source, target), $"{file}: (b) round trip through Recreate");
        }

        IReadOnlyList<DoctorFinding> findings = await Doctor.RunAsync(new DoctorOptions { Namespace = source.Namespace });
        DoctorFinding? skipped = findings.FirstOrDefault(f => f.Code == DoctorCodes.CheckSkipped || f.Code == DoctorCodes.NfTablesUnavailable);
        if (skipped is not null)
        {
            throw new RealRulesetException($"{file}: (c) the doctor could not read everything: {skipped}");
        }
        int expressions = ruleset.Rules.Sum(r => r.Expressions.Count);
        string codes = findings.Count == 0 ? "none" : string.Join(", ", findings.Select(f => $"{f.Severity.ToString().ToLowerInvariant()} {f.Code}").Distinct());
        return $"{ruleset.Tables.Count} tables, {ruleset.Chains.Count} chains, {ruleset.Rules.Count} rules ({expressions} expressions), "
            + $"{ruleset.Sets.Count} sets, {ruleset.Flowtables.Count} flowtables: decoded as nft, recreated identically; doctor findings: {codes}";
    }

    /// <summary>
    /// A namespace with the file's devices, and the uplink our forward needs: a veth "nfwan"
    /// with 10.0.2.1/24 (its peer holds 10.0.2.2), IPv4 forwarding on.
    /// </summary>
    private static TestNamespace Prepare(string role, RealRulesetFile file)
    {
        var ns = new TestNamespace(role);
        try
        {
            foreach (string pair in file.Devices.Append("nfwan:nfsrv"))
            {
                string[] ends = pair.Split(':');
                ns.Ip("link", "add", ends[0], "type", "veth", "peer", "name", ends[1]);
                ns.Ip("link", "set", ends[0], "up");
                ns.Ip("link", "set", ends[1], "up");
            }
            ns.Ip("addr", "add", "10.0.2.1/24", "dev", "nfwan");
            Forwarding.Enable(NetfilterFamily.IPv4, ns.Namespace);
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    private static void Load(TestNamespace ns, RealRulesetFile file)
    {
        string[] command = file.Loader switch
        {
            "nft -f" => new[] { "nft", "-f", "-" },
            "iptables-nft-restore" => new[] { "iptables-nft-restore" },
            "ip6tables-nft-restore" => new[] { "ip6tables-nft-restore" },
            _ => throw new RealRulesetException($"{file}: unknown loader '{file.Loader}' in its header"),
        };
        Tool.Result result = Tool.Run("ip", new[] { "netns", "exec", ns.Name }.Concat(command), file.Text);
        if (result.ExitCode != 0)
        {
            throw new RealRulesetException($"{file}: {file.Loader} refused it: {result.StandardError.Trim()}");
        }
    }

    private static void Fail(string? difference, string what)
    {
        if (difference is not null)
        {
            throw new RealRulesetException($"{what} differs: {difference}");
        }
    }
}

/// <summary>A real ruleset did not pass.</summary>
public sealed class RealRulesetException : Exception
{
    public RealRulesetException(string message) : base(message)
    {
    }
}
