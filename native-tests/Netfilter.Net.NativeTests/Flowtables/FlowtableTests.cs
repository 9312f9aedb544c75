using System.IO;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.Flowtables;

/// <summary>
/// Flowtables against the running kernel (FlowtableScenario holds the scenarios; the kernel
/// suite runs the same ones on other kernels). On a kernel without flowtables the scenarios are
/// skipped and one test proves the library says so with its typed error.
/// </summary>
public sealed class FlowtableTests
{
    [FlowtableFact]
    public async Task The_library_creates_lists_decodes_and_deletes_a_flowtable_and_its_flow_add_rules()
    {
        string listing = await FlowtableScenario.CreateListDecodeDeleteAsync();
        listing.Should().Contain("devices = { va, vb }");
    }

    [FlowtableFact]
    public async Task A_flowtable_ruleset_written_by_nft_decodes_as_nft_shows_it_and_recreates_identically()
    {
        (await FlowtableScenario.NftWrittenRoundTripAsync()).Should().StartWith("3 flowtables");
    }

    [FlowtableFact]
    public async Task A_forwarded_tcp_connection_is_offloaded_and_its_bytes_still_arrive()
    {
        (await FlowtableScenario.OffloadWithTrafficAsync()).Should().Contain("[OFFLOAD]");
    }

    [NativeFact]
    public async Task A_kernel_without_flowtables_gets_the_typed_error_naming_the_build_option()
    {
        using TestNamespace ns = FlowtableScenario.NamespaceWithDevices("ftnone");
        using var client = new NfTablesClient(ns.Namespace);
        Func<Task> create = () => client.CommitAsync(new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.Inet, "t"))
            .AddFlowtable(new Flowtable(NetfilterFamily.Inet, "t", "ft") { HookNumber = Flowtable.IngressHook, Priority = 0, Devices = new[] { "va" } }));
        // The kernel's own build configuration is the independent oracle, where it is published.
        bool kernelHasFlowtables = !File.Exists("/proc/config.gz")
            || Tool.Run("sh", new[] { "-c", "zcat /proc/config.gz | grep -q '^CONFIG_NF_FLOW_TABLE=[ym]'" }).ExitCode == 0;
        if (kernelHasFlowtables)
        {
            await create.Should().NotThrowAsync("this kernel has flowtables");
            return;
        }
        NfTablesKernelFeatureException e = (await create.Should().ThrowAsync<NfTablesKernelFeatureException>()).Which;
        e.Errno.Should().Be(Errno.ENOENT);
        e.OperationDescription.Should().Be("add flowtable inet t ft");
        e.KernelTooOld.Should().BeFalse();
        e.Feature.KernelConfig.Should().Contain("CONFIG_NF_FLOW_TABLE");
        e.Message.Should().Contain("was built without it");
    }
}
