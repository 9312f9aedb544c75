using System.Runtime.InteropServices;

namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>A test that needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN to create namespaces); skipped otherwise.</summary>
public sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute()
    {
        if (!Privileges.IsRoot)
        {
            Skip = "needs root: native tests create network namespaces";
        }
    }
}

/// <summary>A theory that needs root; skipped otherwise.</summary>
public sealed class NativeTheoryAttribute : TheoryAttribute
{
    public NativeTheoryAttribute()
    {
        if (!Privileges.IsRoot)
        {
            Skip = "needs root: native tests create network namespaces";
        }
    }
}

internal static class Privileges
{
    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    public static bool IsRoot { get; } = GetEffectiveUserId() == 0;
}
