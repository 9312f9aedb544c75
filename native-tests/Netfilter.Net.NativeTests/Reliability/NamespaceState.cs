using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Reliability;

/// <summary>
/// What a refused command must leave exactly as it was, read two independent ways: the ruleset
/// as <c>nft list ruleset</c> prints it, the ruleset as the library decodes it (rendered in
/// libnftnl's notation, generation included, so even a commit that changed nothing shows), and
/// the forwarding and route_localnet sysctls that nfnet can write.
/// </summary>
public sealed record NamespaceState(string NftListing, string LibraryDump, string Sysctls)
{
    private static readonly SysctlKey[] s_keys =
    {
        SysctlKey.IPv4Forward,
        SysctlKey.IPv6Forwarding(SysctlKey.AllInterfaces),
        SysctlKey.RouteLocalnet(SysctlKey.AllInterfaces),
    };

    public static async Task<NamespaceState> CaptureAsync(TestNamespace ns)
    {
        string listing = ns.Nft("list", "ruleset");
        using var client = new NfTablesClient(ns.Namespace);
        Ruleset ruleset = await client.GetRulesetAsync();
        var sysctl = new SysctlClient(ns.Namespace);
        string sysctls = string.Join("; ", s_keys.Select(k => $"{k.Name}={sysctl.Read(k)}"));
        return new NamespaceState(listing, $"generation {ruleset.Generation}\n{NftDebugFormatter.Render(ruleset)}", sysctls);
    }

    /// <summary>Asserts that nothing changed, showing both sides when something did.</summary>
    public void ShouldEqual(NamespaceState before, string because)
    {
        NftListing.Should().Be(before.NftListing, "nft list ruleset is unchanged byte for byte after " + because);
        LibraryDump.Should().Be(before.LibraryDump, "the library's dump is unchanged after " + because);
        Sysctls.Should().Be(before.Sysctls, "the sysctls are unchanged after " + because);
    }
}
