using System.IO;
using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Reliability;

/// <summary>
/// The namespace a group of bad-input cases runs in (one per test class, so many cases share it
/// and the groups run side by side): a ruleset of typed rules and a foreign nft table, forwarding
/// on, and the state read before any case. Every case must leave it exactly so.
/// </summary>
/// <remarks>
/// The group's cases run when the fixture starts, four at a time (on a loaded two-core machine
/// most of a case is nfnet starting up), and the namespace is read after each wave of four. A
/// wave after which anything changed is run again one case at a time, the namespace read and
/// put back after each, so a change is pinned on the case that made it and never leaks into the
/// next. Each test row then checks its own case's outcome.
/// </remarks>
public abstract class BadInputNamespace : IAsyncLifetime
{
    private const int Wave = 4;

    private const string ForeignTable = """
        table ip filter {
          set blocked { type ipv4_addr; flags interval; elements = { 192.0.2.0/24 } }
          chain input { type filter hook input priority 0; policy accept;
            ip saddr @blocked counter drop
            tcp dport 22 accept comment "ssh"
          }
        }
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"nfnet-badinput-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly Dictionary<string, Outcome> _outcomes = new(StringComparer.Ordinal);
    private TestNamespace? _ns;

    /// <summary>What one case did: its command line, what nfnet answered, and the state before and after it.</summary>
    private sealed record Outcome(string[] Args, Dictionary<string, string> Substitutions, Tool.Result Result, NamespaceState Before, NamespaceState After, string HostAfter);

    /// <summary>The cases of this group.</summary>
    public abstract IReadOnlyList<CliCase> Cases { get; }

    public TestNamespace Namespace => _ns ?? throw new InvalidOperationException("not initialized");

    /// <summary>The state every case must leave behind.</summary>
    public NamespaceState Baseline { get; private set; } = null!;

    /// <summary>The host's ruleset, for cases that give their own --netns (it must not change either).</summary>
    public string HostRuleset { get; private set; } = string.Empty;

    /// <summary>How long the group's cases took to run, wall clock (the suite's figure).</summary>
    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        if (!Privileges.IsRoot)
        {
            return;
        }
        Directory.CreateDirectory(_directory);
        _ns = new TestNamespace("badinput");
        await SeedAsync();
        HostRuleset = Tool.Check("nft", "list", "ruleset");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<CliCase> active = Cases.Where(c => c.Pending is null).ToList();
        for (int i = 0; i < active.Count; i += Wave)
        {
            await RunWaveAsync(active.GetRange(i, Math.Min(Wave, active.Count - i)));
        }
        Elapsed = clock.Elapsed;
    }

    private async Task RunWaveAsync(List<CliCase> wave)
    {
        NamespaceState before = Baseline;
        var started = wave.Select(c => Task.Run(() => Execute(c))).ToList();
        (CliCase Case, string[] Args, Dictionary<string, string> Substitutions, Tool.Result Result)[] results = await Task.WhenAll(started);
        NamespaceState after = await NamespaceState.CaptureAsync(Namespace);
        string host = wave.Any(c => c.OwnNamespace) ? Tool.Check("nft", "list", "ruleset") : HostRuleset;
        if (after == before && host == HostRuleset)
        {
            foreach ((CliCase c, string[] args, Dictionary<string, string> substitutions, Tool.Result result) in results)
            {
                _outcomes[c.Id] = new Outcome(args, substitutions, result, before, after, host);
            }
            return;
        }
        // Something changed: find out which case did it, one at a time, putting the namespace back after each.
        await SeedAsync();
        foreach (CliCase c in wave)
        {
            NamespaceState own = Baseline;
            (_, string[] args, Dictionary<string, string> substitutions, Tool.Result result) = Execute(c);
            NamespaceState state = await NamespaceState.CaptureAsync(Namespace);
            string hostState = c.OwnNamespace ? Tool.Check("nft", "list", "ruleset") : HostRuleset;
            _outcomes[c.Id] = new Outcome(args, substitutions, result, own, state, hostState);
            if (state != own)
            {
                await SeedAsync();
            }
        }
    }

    /// <summary>Sets up the namespace's state from nothing and reads it as the baseline.</summary>
    private async Task SeedAsync()
    {
        TestNamespace ns = Namespace;
        ns.Nft("flush", "ruleset");
        ns.NftScript(ForeignTable);
        ns.Check("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=0", "net.ipv4.conf.all.route_localnet=0");
        using (var nat = new NatTable("nfnet", new NatTableOptions { Namespace = ns.Namespace }))
        {
            await nat.ApplyAsync(new NatRule[]
            {
                new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true),
                new RedirectRule(TransportProtocol.Udp, PortRange.Single(53), 5353),
                new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, sources: new[] { IPNetwork.Parse("10.0.1.0/24") }),
                new MasqueradeRule("lo"),
            });
        }
        Baseline = await NamespaceState.CaptureAsync(ns);
    }

    private (CliCase, string[], Dictionary<string, string>, Tool.Result) Execute(CliCase c)
    {
        var substitutions = new Dictionary<string, string>(StringComparer.Ordinal) { ["{dir}"] = _directory };
        if (c.File is not null)
        {
            string file = Path.Combine(_directory, c.Id + ".json");
            File.WriteAllText(file, c.File);
            substitutions["{file}"] = file;
        }
        string[] args = c.Args.Select(a => Substitute(a, substitutions)).ToArray();
        if (!c.OwnNamespace)
        {
            args = args.Concat(new[] { "--netns", Namespace.Name }).ToArray();
        }
        Tool.Result result = c.Stdin is null ? Nfnet.Run(args) : Nfnet.WithInput(c.Stdin, args);
        return (c, args, substitutions, result);
    }

    /// <summary>Checks the whole contract on what case <paramref name="id"/> did; throws on the first breach.</summary>
    public void Verify(string id)
    {
        CliCase c = Cases.Single(x => x.Id == id);
        Outcome o = _outcomes[id];
        Tool.Result result = o.Result;
        string context = $"case {c.Id}: nfnet {string.Join(' ', o.Args.Select(a => a.Length > 80 ? a[..80] + "…" : a))}\nexit {result.ExitCode}\nstdout: {Cut(result.StandardOutput)}\nstderr: {Cut(result.StandardError)}";
        result.ExitCode.Should().Be(c.Exit, context);
        string[] lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(context);
        string line = lines[0];
        line.Should().StartWith("nfnet: ", context);
        line.Should().Contain(Substitute(c.Names, o.Substitutions), "the line names what is wrong; " + context);
        line.Length.Should().BeLessThan(600, "a line quotes a bounded part of any value; " + context);
        line.Should().NotContain("   at ", context).And.NotStartWith("nfnet: unexpected ", context);
        line.Should().NotMatchRegex(@"\b[A-Za-z]*Exception\b|\bSystem\.[A-Z]|\bNetfilter\.Net\.", "no .NET type name reaches the user; " + context);
        result.StandardOutput.Should().BeEmpty("a refused command prints nothing on stdout; " + context);
        o.After.ShouldEqual(o.Before, c.Id);
        o.HostAfter.Should().Be(HostRuleset, "the host's ruleset is unchanged after " + c.Id);
    }

    private static string Substitute(string text, Dictionary<string, string> substitutions)
    {
        foreach ((string key, string value) in substitutions)
        {
            text = text.Replace(key, value, StringComparison.Ordinal);
        }
        int host = text.IndexOf("{host:", StringComparison.Ordinal);
        if (host >= 0)
        {
            int end = text.IndexOf('}', host);
            string key = text.Substring(host + 6, end - host - 6);
            string value = File.ReadAllText("/proc/sys/" + key.Replace('.', '/')).TrimEnd('\n');
            text = text.Substring(0, host) + value + text.Substring(end + 1);
        }
        return text;
    }

    private static string Cut(string text) => text.Length > 2000 ? text[..2000] + "…" : text;

    public Task DisposeAsync()
    {
        _ns?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        return Task.CompletedTask;
    }
}
