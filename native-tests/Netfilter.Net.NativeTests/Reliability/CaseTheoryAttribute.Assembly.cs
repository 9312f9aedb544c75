using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.Reliability;

public partial class CaseTheoryAttribute
{
    /// <summary>The assembly that holds <see cref="CaseTheoryDiscoverer"/> in this project.</summary>
    public const string AssemblyName = "Netfilter.Net.NativeTests";
}

/// <summary>A <see cref="CaseTheoryAttribute"/> that needs root (its cases run in network namespaces); skipped otherwise.</summary>
public sealed class NativeCaseTheoryAttribute : CaseTheoryAttribute
{
    public NativeCaseTheoryAttribute()
    {
        if (!Privileges.IsRoot)
        {
            Skip = "needs root: native tests create network namespaces";
        }
    }
}
