using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.Flowtables;

/// <summary>
/// A native test that needs flowtables in the running kernel. Skipped, with the library's own
/// explanation, when the kernel has none: the probe creates a flowtable in a throwaway namespace
/// and the library answers <see cref="NfTablesKernelFeatureException"/> (a kernel built without
/// CONFIG_NF_FLOW_TABLE, as this project's development machine is). The kernel matrix
/// (native-tests/kernels/run.sh) runs the same scenarios on Debian's 6.1 and 6.12, which have them.
/// </summary>
public sealed class FlowtableFactAttribute : FactAttribute
{
    public FlowtableFactAttribute()
    {
        Skip = FlowtableSupport.SkipReason;
    }
}

/// <summary>A theory that needs flowtables in the running kernel; skipped as <see cref="FlowtableFactAttribute"/> is.</summary>
public sealed class FlowtableTheoryAttribute : TheoryAttribute
{
    public FlowtableTheoryAttribute()
    {
        Skip = FlowtableSupport.SkipReason;
    }
}

/// <summary>Whether the running kernel has flowtables, asked once per test run.</summary>
internal static class FlowtableSupport
{
    private static readonly Lazy<string?> s_missing = new(Probe);

    /// <summary>Null when flowtables can be tested; otherwise why not.</summary>
    public static string? SkipReason => !Privileges.IsRoot ? "needs root: native tests create network namespaces" : s_missing.Value;

    private static string? Probe()
    {
        using TestNamespace ns = FlowtableScenario.NamespaceWithDevices("ftprobe");
        using var client = new NfTablesClient(ns.Namespace);
        try
        {
            client.CommitAsync(new NfTablesTransaction()
                .AddTable(new Table(NetfilterFamily.Inet, "probe"))
                .AddFlowtable(new Flowtable(NetfilterFamily.Inet, "probe", "ft") { HookNumber = Flowtable.IngressHook, Priority = 0, Devices = new[] { "va" } }))
                .GetAwaiter().GetResult();
            return null;
        }
        catch (NfTablesKernelFeatureException e)
        {
            return $"the running kernel has no flowtables (the library says: {e.Message})";
        }
    }
}
