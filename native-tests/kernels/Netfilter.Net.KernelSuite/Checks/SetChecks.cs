using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using static Netfilter.Net.KernelSuite.Checks.RoundTrip;

namespace Netfilter.Net.KernelSuite.Checks;

/// <summary>Sets and maps: concatenations, intervals, timeouts, verdict/data/object maps, catch-all elements.</summary>
internal static class SetChecks
{
    public static IEnumerable<Check> All()
    {
        yield return new("set.concat-interval", "concatenated interval sets (NFT_SET_CONCAT, NFTA_SET_ELEM_KEY_END)", () => RunAsync("""
            table inet x {
              set s { type ipv4_addr . inet_service; flags interval; elements = { 10.0.0.0/8 . 80-90, 192.168.1.1 . 443 } }
              set r { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 172.16.0.0-172.16.0.9 } }
              chain c { ip saddr . tcp dport @s accept; ip daddr @r drop; }
            }
            """, new[] { "lookup" }));
        yield return new("set.timeout", "sets with timeouts: element timeout and time left read back", TimeoutAsync);
        yield return new("set.maps", "verdict maps, data maps, object maps, concatenated maps", () => RunAsync("""
            table inet x {
              counter c1 { }
              map vm { type inet_service : verdict; elements = { 22 : accept, 23 : drop } }
              map dm { type ipv4_addr . inet_service : ipv4_addr . inet_service; elements = { 10.0.0.1 . 80 : 10.1.0.1 . 8080 } }
              map om { type ipv4_addr : counter; elements = { 10.0.0.1 : "c1" } }
              chain c { tcp dport vmap @vm; counter name ip saddr map @om; }
              chain pre { type nat hook prerouting priority -100; meta nfproto ipv4 dnat ip to ip daddr . tcp dport map @dm; }
            }
            """, new[] { "lookup", "objref", "nat" }));
        yield return new("set.catchall", "catch-all elements (NFT_SET_ELEM_CATCHALL) written by nft and by the library", CatchAllAsync);
    }

    private static async Task<string> TimeoutAsync()
    {
        string result = await RunAsync("""
            table inet x {
              set t { type ipv4_addr; flags timeout; timeout 1h; elements = { 10.0.0.1, 10.0.0.2 timeout 10m } }
              chain c { ip saddr @t accept; }
            }
            """, new[] { "lookup" });
        using var ns = new TestNamespace("st");
        ns.NftScript("table inet x {\n set t { type ipv4_addr; flags timeout; timeout 1h; elements = { 10.0.0.2 timeout 10m } }\n}\n");
        using var client = new NfTablesClient(ns.Namespace);
        Ruleset ruleset = await client.GetRulesetAsync();
        SetElement element = ruleset.ElementsOf(ruleset.Sets.Single()).Single();
        Expect.That(element.Timeout == 600_000, $"the element's timeout reads back as 600000 ms: {element.Timeout}");
        Expect.That(element.Expiration is > 500_000 and <= 600_000, $"the time left reads back: {element.Expiration} ms");
        Expect.That(ruleset.Sets.Single().Timeout == 3_600_000, "the set's default timeout reads back");
        return result + $"; element timeout {element.Timeout} ms, {element.Expiration} ms left";
    }

    private static async Task<string> CatchAllAsync()
    {
        string byNft = await RunAsync("""
            table inet x {
              map m { type ipv4_addr : verdict; elements = { 10.0.0.1 : accept, * : drop } }
              set s { type ipv4_addr; elements = { 10.0.0.1, * } }
              chain c { ip saddr vmap @m; ip daddr @s counter; }
            }
            """, new[] { "lookup" });
        using var ns = new TestNamespace("ca");
        using var client = new NfTablesClient(ns.Namespace);
        var set = new Set(NetfilterFamily.Inet, "x", "s") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4 };
        await client.CommitAsync(new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.Inet, "x"))
            .AddSet(set, new[]
            {
                new SetElement(NftData.FromIPAddress(IPAddress.Parse("10.0.0.1"))),
                new SetElement(NftData.FromBytes(ReadOnlySpan<byte>.Empty)) { Flags = SetElementFlags.CatchAll },
            }));
        Ruleset ruleset = await client.GetRulesetAsync();
        IReadOnlyList<SetElement> elements = ruleset.ElementsOf(ruleset.Sets.Single());
        Expect.That(elements.Count(e => e.Flags is SetElementFlags f && (f & SetElementFlags.CatchAll) != 0) == 1, $"the library's catch-all element reads back: {elements.Count} elements");
        string listing = NftOracle.ListRuleset(ns);
        Expect.That(listing.Contains("elements = { 10.0.0.1, * }", StringComparison.Ordinal), "nft lists the library's catch-all as '*':\n" + listing);
        return byNft + "; the library's catch-all lists as *";
    }
}
