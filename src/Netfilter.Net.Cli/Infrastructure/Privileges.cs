using System.Runtime.InteropServices;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>Whether nfnet runs as root, to tell "not root" from "root without the capability" in error lines.</summary>
internal static partial class Privileges
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool IsRoot { get; } = GetEffectiveUserId() == 0;
}
