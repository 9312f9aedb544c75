using System.Diagnostics;
using System.Globalization;
using System.IO;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Reliability;

/// <summary>
/// A namespace with two known states and two ways of going from the old one to the new one,
/// for the tests that interrupt a large change (kill -9, SIGINT, SIGSTOP/SIGCONT):
/// <list type="bullet">
/// <item>old: a foreign nft table and 100 typed forwards in table inet nfnet;</item>
/// <item>new: the same foreign table and 10,000 forwards;</item>
/// <item>by <c>nfnet ruleset restore</c> of a saved file of the new nfnet table (one transaction
/// replacing the table), and by a program that calls <c>NatTable.ApplyAsync</c> with the 10,000
/// forwards (one transaction adding 9,900 rules' elements).</item>
/// </list>
/// The expected listings are read after an uninterrupted run of each; a state is compared with
/// both (<see cref="RulesetListing.Canonical"/>), and put back with a restore of the old file.
/// </summary>
public sealed class ApplyUnderFire : IAsyncLifetime
{
    public const int Forwards = 10_000;
    public const int OldForwards = 100;

    private const string ForeignTable = """
        table ip filter {
          chain input { type filter hook input priority 0; policy accept;
            tcp dport 22 accept comment "ssh"
          }
        }
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"nfnet-underfire-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private TestNamespace? _ns;

    public enum Way
    {
        /// <summary>nfnet ruleset restore of the new file.</summary>
        Restore,

        /// <summary>A program calling NatTable.ApplyAsync with the 10,000 forwards.</summary>
        Apply,
    }

    public enum Outcome
    {
        Old,
        New,
        Partial,
    }

    public TestNamespace Namespace => _ns ?? throw new InvalidOperationException("not initialized");

    public string OldFile => Path.Combine(_directory, "old.json");

    public string NewFile => Path.Combine(_directory, "new.json");

    public string OldListing { get; private set; } = string.Empty;

    /// <summary>The listing after each way's uninterrupted run.</summary>
    public Dictionary<Way, string> NewListing { get; } = new();

    /// <summary>How long each way takes uninterrupted, from process start to exit.</summary>
    public Dictionary<Way, TimeSpan> Duration { get; } = new();

    public async Task InitializeAsync()
    {
        if (!Privileges.IsRoot)
        {
            return;
        }
        Directory.CreateDirectory(_directory);
        _ns = new TestNamespace("underfire");
        RunToEnd(Way.Apply).ExitCode.Should().Be(0);
        Nfnet.In(_ns, "ruleset", "save", NewFile).EnsureSuccess("ruleset save (new)");

        _ns.Nft("flush", "ruleset");
        _ns.NftScript(ForeignTable);
        Tool.Run("dotnet", new[] { Self, "child", "nat-apply", _ns.Name, OldForwards.ToString(CultureInfo.InvariantCulture) }).EnsureSuccess("nat-apply (old)");
        Nfnet.In(_ns, "ruleset", "save", OldFile).EnsureSuccess("ruleset save (old)");
        OldListing = Listing();

        foreach (Way way in new[] { Way.Restore, Way.Apply })
        {
            var clock = Stopwatch.StartNew();
            Tool.Result result = RunToEnd(way);
            Duration[way] = clock.Elapsed;
            result.EnsureSuccess(way.ToString());
            NewListing[way] = Listing();
            NewListing[way].Should().NotBe(OldListing);
            ResetToOld();
        }
        await Task.CompletedTask;
    }

    private static string Self => typeof(Program).Assembly.Location;

    /// <summary>Starts the change the way <paramref name="way"/> says, without waiting.</summary>
    public Process Start(Way way)
    {
        if (way == Way.Restore)
        {
            return Nfnet.Start("ruleset", "restore", NewFile, "--netns", Namespace.Name);
        }
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { Self, "child", "nat-apply", Namespace.Name, Forwards.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }
        return SignalledChild.Start(start);
    }

    private Tool.Result RunToEnd(Way way) => way == Way.Restore
        ? Nfnet.In(Namespace, "ruleset", "restore", NewFile)
        : Tool.Run("dotnet", new[] { Self, "child", "nat-apply", Namespace.Name, Forwards.ToString(CultureInfo.InvariantCulture) }, timeout: TimeSpan.FromMinutes(3));

    public string Listing() => RulesetListing.Canonical(Namespace.Nft("list", "ruleset"));

    /// <summary>Which state the namespace is in now, after a change by <paramref name="way"/> was interrupted; the listing too.</summary>
    public (Outcome Outcome, string Listing) Observe(Way way)
    {
        string listing = Listing();
        Outcome outcome = listing == OldListing ? Outcome.Old : listing == NewListing[way] ? Outcome.New : Outcome.Partial;
        return (outcome, listing);
    }

    /// <summary>Puts the old state back (a restore of the old file, uninterrupted) and checks it.</summary>
    public void ResetToOld()
    {
        Nfnet.In(Namespace, "ruleset", "restore", OldFile).EnsureSuccess("ruleset restore (old)");
        Listing().Should().Be(OldListing, "the old file restores the old state");
    }

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
