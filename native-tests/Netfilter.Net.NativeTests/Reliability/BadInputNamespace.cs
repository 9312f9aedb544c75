using System.IO;
using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Reliability;

/// <summary>
/// The namespace a group of bad-input cases runs in (one per test class, so many cases share
/// it and the groups run side by side): a ruleset of typed rules and a foreign nft table,
/// forwarding on, and the state read once before any case. Every case must leave it exactly so.
/// </summary>
public sealed class BadInputNamespace : IAsyncLifetime
{
    private const string ForeignTable = """
        table ip filter {
          set blocked { type ipv4_addr; flags interval; elements = { 192.0.2.0/24 } }
          chain input { type filter hook input priority 0; policy accept;
            ip saddr @blocked counter drop
            tcp dport 22 accept comment "ssh"
          }
        }
        """;

    private TestNamespace? _ns;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"nfnet-badinput-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public TestNamespace Namespace => _ns ?? throw new InvalidOperationException("not initialized");

    /// <summary>The state every case must leave behind.</summary>
    public NamespaceState Baseline { get; private set; } = null!;

    /// <summary>The host's ruleset, for cases that give their own --netns (it must not change either).</summary>
    public string HostRuleset { get; private set; } = string.Empty;

    /// <summary>How long the cases of this group took, summed (the suite's figure).</summary>
    public TimeSpan Elapsed { get; set; }

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

    /// <summary>Runs <paramref name="c"/> and checks the whole contract; throws on the first breach.</summary>
    public async Task RunAsync(CliCase c)
    {
        var substitutions = new Dictionary<string, string>(StringComparer.Ordinal) { ["{dir}"] = _directory };
        if (c.File is not null)
        {
            string file = Path.Combine(_directory, c.Id + ".json");
            await File.WriteAllTextAsync(file, c.File);
            substitutions["{file}"] = file;
        }
        string[] args = c.Args.Select(a => Substitute(a, substitutions)).ToArray();
        if (!c.OwnNamespace)
        {
            args = args.Concat(new[] { "--netns", Namespace.Name }).ToArray();
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Tool.Result result = c.Stdin is null ? Nfnet.Run(args) : Nfnet.WithInput(c.Stdin, args);
        clock.Stop();
        Elapsed += clock.Elapsed;

        // The state first: a case that broke the contract must not leave its change to the next one.
        NamespaceState after = await NamespaceState.CaptureAsync(Namespace);
        NamespaceState before = Baseline;
        if (after != before)
        {
            await SeedAsync();
        }
        string host = c.OwnNamespace ? Tool.Check("nft", "list", "ruleset") : HostRuleset;

        string context = $"case {c.Id}: nfnet {string.Join(' ', args.Select(a => a.Length > 80 ? a[..80] + "…" : a))}\nexit {result.ExitCode}\nstdout: {Cut(result.StandardOutput)}\nstderr: {Cut(result.StandardError)}";
        result.ExitCode.Should().Be(c.Exit, context);
        string[] lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(context);
        string line = lines[0];
        line.Should().StartWith("nfnet: ", context);
        line.Should().Contain(Substitute(c.Names, substitutions), "the line names what is wrong; " + context);
        line.Length.Should().BeLessThan(600, "a line quotes a bounded part of any value; " + context);
        line.Should().NotContain("   at ", context).And.NotStartWith("nfnet: unexpected ", context);
        line.Should().NotMatchRegex(@"\b[A-Za-z]*Exception\b|\bSystem\.[A-Z]|\bNetfilter\.Net\.", "no .NET type name reaches the user; " + context);
        result.StandardOutput.Should().BeEmpty("a refused command prints nothing on stdout; " + context);
        after.ShouldEqual(before, c.Id);
        host.Should().Be(HostRuleset, "the host's ruleset is unchanged after " + c.Id);
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
