using Netfilter.Net.Contract;

namespace Netfilter.Net.NativeTests.Contract;

// The contract suite (tests/Netfilter.Net.Contract, compiled into this project unchanged) against
// the real kernel, each test in a namespace of its own. tests/.../Contract runs the same tests
// against Netfilter.Net.Testing's in-memory kernel; where the two differ, one of the runs fails.

public sealed class KernelNatContract : NatContract
{
    protected override ContractKernel CreateKernel() => new KernelContractKernel();
}

public sealed class KernelConntrackContract : ConntrackContract
{
    protected override ContractKernel CreateKernel() => new KernelContractKernel();
}

public sealed class KernelSysctlContract : SysctlContract
{
    protected override ContractKernel CreateKernel() => new KernelContractKernel();
}

public sealed class KernelDoctorContract : DoctorContract
{
    protected override ContractKernel CreateKernel() => new KernelContractKernel();
}
