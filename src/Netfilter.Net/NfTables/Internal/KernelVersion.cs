using System;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>The running kernel's release, major.minor, for explaining refusals by kernel version.</summary>
internal static class KernelVersion
{
    private static readonly Lazy<Version> s_running = new(Read);

    /// <summary>uname's release as major.minor ("6.1.0-47-cloud-amd64" → 6.1); 0.0 when not on Linux.</summary>
    public static Version Running => s_running.Value;

    // .NET reports uname's release as OSVersion on Linux ("6.18.44-fc" -> 6.18.44).
    private static Version Read()
    {
        Version v = Environment.OSVersion.Version;
        return OperatingSystem.IsLinux() ? new Version(v.Major, Math.Max(v.Minor, 0)) : new Version(0, 0);
    }
}
