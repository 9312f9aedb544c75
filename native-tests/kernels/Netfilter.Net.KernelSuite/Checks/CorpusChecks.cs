using System.Reflection;
using Netfilter.Net.NativeTests.Corpus.Real;
using Netfilter.Net.NativeTests.Flowtables;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.KernelSuite.Checks;

/// <summary>The real rulesets of native-tests/.../Corpus/real (embedded in this binary), each through RealRuleset's checks.</summary>
internal static class CorpusChecks
{
    public static IEnumerable<Check> All()
    {
        Assembly assembly = typeof(CorpusChecks).Assembly;
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("corpus/", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal))
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var file = new RealRulesetFile(resource["corpus/".Length..], reader.ReadToEnd());
            string id = "corpus." + Path.GetFileNameWithoutExtension(file.Name);
            yield return new Check(id, $"{file.Project}: decoded as nft, recreated, read by the doctor", () => RunAsync(file));
        }
    }

    private static async Task<string> RunAsync(RealRulesetFile file)
    {
        if (file.Needs == "flowtables")
        {
            // Where the kernel has no flowtables, the library's own attempt says so (its typed error).
            using var ns = FlowtableScenario.NamespaceWithDevices("cprobe");
            using var client = new NfTablesClient(ns.Namespace);
            await client.CommitAsync(new NfTablesTransaction()
                .AddTable(new Table(NetfilterFamily.Inet, "probe"))
                .AddFlowtable(new Flowtable(NetfilterFamily.Inet, "probe", "ft") { HookNumber = Flowtable.IngressHook, Priority = 0, Devices = new[] { "va" } }));
        }
        return await RealRuleset.CheckAsync(file);
    }
}
