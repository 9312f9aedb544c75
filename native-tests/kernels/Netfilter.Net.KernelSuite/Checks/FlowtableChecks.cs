using Netfilter.Net.NativeTests.Flowtables;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.KernelSuite.Checks;

/// <summary>The flowtable scenarios of the native tests (Flowtables/FlowtableScenario.cs), on this kernel.</summary>
internal static class FlowtableChecks
{
    public static IEnumerable<Check> All()
    {
        yield return new("flowtable.lifecycle", "flowtable with two devices and flow add rules: create, list, decode, EBUSY, delete", FlowtableScenario.CreateListDecodeDeleteAsync);
        yield return new("flowtable.roundtrip", "flowtables written by nft: decoded as nft shows them, recreated identically", async () =>
        {
            // nft cannot write them where the kernel has none: the library's own attempt says why.
            using (var ns = FlowtableScenario.NamespaceWithDevices("ftprobe"))
            using (var client = new NfTablesClient(ns.Namespace))
            {
                await client.CommitAsync(new NfTablesTransaction()
                    .AddTable(new Table(NetfilterFamily.Inet, "probe"))
                    .AddFlowtable(new Flowtable(NetfilterFamily.Inet, "probe", "ft") { HookNumber = Flowtable.IngressHook, Priority = 0, Devices = new[] { "va" } }));
            }
            return await FlowtableScenario.NftWrittenRoundTripAsync();
        });
        yield return new("flowtable.offload", "software flow offload with real traffic: [OFFLOAD] in conntrack, every byte arrives", FlowtableScenario.OffloadWithTrafficAsync);
    }
}
