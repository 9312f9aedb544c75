using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.Contract;

/// <summary>A contract test (tests/Netfilter.Net.Contract), here run against the real kernel in a namespace: needs root, skipped otherwise.</summary>
public sealed class ContractFactAttribute : FactAttribute
{
    public ContractFactAttribute()
    {
        if (!Privileges.IsRoot)
        {
            Skip = "needs root: the kernel's side of the contract suite runs in a network namespace";
        }
    }
}
