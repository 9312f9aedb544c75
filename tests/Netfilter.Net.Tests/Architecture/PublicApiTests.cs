using System.IO;
using System.Reflection;
using PublicApiGenerator;

namespace Netfilter.Net.Tests.Architecture;

/// <summary>
/// The public surface of every package, pinned: a change to it (a type, a member, a parameter's
/// name or default, an attribute a user sees) fails here until the snapshot in
/// tests/Netfilter.Net.Tests/PublicApi/ is updated in the same change, so every API change is one
/// a reviewer sees. To accept a change: <c>NFNET_UPDATE_API=1 dotnet test tests/Netfilter.Net.Tests
/// --filter PublicApiTests</c>, then review the diff of PublicApi/*.txt. The .NET 8 build of the
/// packages is checked against the same files: the surface is the same on both frameworks.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Packages => new() { "Netfilter.Net", "Netfilter.Net.Testing", "Netfilter.Net.Hosting" };

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_public_API_is_the_snapshot(string package)
    {
        Assembly assembly = Assembly.Load(package);
        string api = Normalize(assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }));
        string file = package + ".txt";
        if (Environment.GetEnvironmentVariable("NFNET_UPDATE_API") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), "PublicApi", file), api);
        }
        string snapshotPath = Path.Combine(AppContext.BaseDirectory, "PublicApi", file);
        File.Exists(snapshotPath).Should().BeTrue($"the snapshot {file} is missing: create it with NFNET_UPDATE_API=1");
        string snapshot = Normalize(File.ReadAllText(snapshotPath));

        var now = api.Split('\n');
        var pinned = snapshot.Split('\n');
        var added = now.Except(pinned).ToList();
        var removed = pinned.Except(now).ToList();
        (added.Count + removed.Count).Should().Be(0,
            $"the public API of {package} changed without its snapshot (update it with NFNET_UPDATE_API=1 and review the diff):"
            + string.Concat(removed.Take(20).Select(l => "\n  - " + l.Trim()))
            + string.Concat(added.Take(20).Select(l => "\n  + " + l.Trim())));
        api.Should().Be(snapshot, "the same lines, in the snapshot's order");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

    private static string SourceDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Netfilter.Net.sln")))
            {
                return Path.Combine(d.FullName, "tests", "Netfilter.Net.Tests");
            }
        }
        throw new InvalidOperationException("Netfilter.Net.sln not found above " + AppContext.BaseDirectory);
    }
}
