using System;
using System.Collections.Generic;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A feature of the kernel's nf_tables that the library can use and that not every kernel has:
/// the first Linux release that has it, and the build option it needs. An
/// <see cref="NfTablesKernelFeatureException"/> names the one a refused transaction needed.
/// </summary>
public sealed class KernelFeature
{
    internal KernelFeature(string name, Version firstKernel, string source, IReadOnlyList<Errno> refusedWith, string? kernelConfig = null, bool absentTypeIsEnoent = false)
    {
        Name = name;
        FirstKernel = firstKernel;
        Source = source;
        RefusedWith = refusedWith;
        KernelConfig = kernelConfig;
        AbsentTypeIsEnoent = absentTypeIsEnoent;
    }

    /// <summary>What the feature is, in the words of the API that uses it, e.g. "destroy (NFT_MSG_DESTROYTABLE and the other DESTROY messages)".</summary>
    public string Name { get; }

    /// <summary>The first Linux release (major.minor) whose nf_tables has the feature.</summary>
    public Version FirstKernel { get; }

    /// <summary>Where that comes from: the kernel commit that added the feature, e.g. "f80a612dd77c, Linux 6.3".</summary>
    public string Source { get; }

    /// <summary>The kernel build option the feature needs besides CONFIG_NF_TABLES (e.g. CONFIG_NF_FLOW_TABLE), or null.</summary>
    public string? KernelConfig { get; }

    /// <summary>The errnos with which a kernel without the feature refuses it.</summary>
    internal IReadOnlyList<Errno> RefusedWith { get; }

    /// <summary>
    /// For an expression type that names no other object (no set, chain, object or flowtable):
    /// ENOENT pointing at it can only mean that the kernel has no such expression type
    /// (nft_expr_type_get), so it explains the refusal on any kernel version: built without
    /// <see cref="KernelConfig"/>, or its module is missing.
    /// </summary>
    internal bool AbsentTypeIsEnoent { get; }

    /// <summary>True when a kernel of version <paramref name="kernel"/> lacks the feature and answers its use with <paramref name="errno"/>.</summary>
    internal bool ExplainsRefusal(Errno errno, Version kernel) => kernel < FirstKernel && Contains(RefusedWith, errno);

    private static bool Contains(IReadOnlyList<Errno> errnos, Errno errno)
    {
        foreach (Errno e in errnos)
        {
            if (e == errno)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>"destroy (…) needs Linux 6.3 or later (f80a612dd77c, Linux 6.3)".</summary>
    public override string ToString() =>
        $"{Name} needs Linux {FirstKernel.ToString(2)} or later" + (KernelConfig is null ? string.Empty : $" built with {KernelConfig}") + $" ({Source})";
}
