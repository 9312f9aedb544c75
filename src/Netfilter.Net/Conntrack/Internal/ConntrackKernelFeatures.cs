using System;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// Which ctnetlink filters the running kernel honours. Dumps could simply be tried (the
/// client filters again anyway), but a flush cannot: a kernel that does not know a filter
/// attribute ignores it and flushes more than asked (CTA_STATUS before 5.15, CTA_ZONE before
/// 6.8, CTA_FILTER before 5.8). So features are read from the kernel release, and a flush only
/// uses a kernel-side filter the kernel is known to apply.
/// </summary>
/// <remarks>
/// Versions come from the kernel history: CTA_MARK flush/dump filters and the nfgenmsg
/// version-1 family flush filter ("ctnetlink: Support L3 protocol-filter on flush", 4.19);
/// CTA_FILTER dump filters (cb8aa9a, 5.8); CTA_STATUS/CTA_STATUS_MASK ("allow to filter dump
/// by status bits", 5.15); CTA_ZONE dump/flush filters ("support filtering by zone", 6.8);
/// CTA_FILTER flush filters ("support CTA_FILTER for flush", 1ef7f50ccc6e, 6.12).
/// </remarks>
internal sealed record ConntrackKernelFeatures(Version Kernel)
{
    private static readonly Lazy<ConntrackKernelFeatures> s_running = new(() => new ConntrackKernelFeatures(RunningKernel()));

    /// <summary>The features of the running kernel (uname release).</summary>
    public static ConntrackKernelFeatures Running => s_running.Value;

    /// <summary>Every filter known to this library (a recent kernel).</summary>
    public static ConntrackKernelFeatures All { get; } = new(new Version(6, 12));

    /// <summary>None: every filter runs client-side.</summary>
    public static ConntrackKernelFeatures None { get; } = new(new Version(0, 0));

    public bool MarkFilter => Kernel >= new Version(4, 19);

    public bool FamilyFlush => Kernel >= new Version(4, 19);

    public bool TupleDumpFilter => Kernel >= new Version(5, 8);

    public bool StatusFilter => Kernel >= new Version(5, 15);

    public bool ZoneFilter => Kernel >= new Version(6, 8);

    public bool TupleFlushFilter => Kernel >= new Version(6, 12);

    // .NET reports uname's release as OSVersion on Linux ("6.18.44-fc" -> 6.18.44).
    private static Version RunningKernel()
    {
        Version v = Environment.OSVersion.Version;
        return OperatingSystem.IsLinux() ? new Version(v.Major, Math.Max(v.Minor, 0)) : new Version(0, 0);
    }
}
