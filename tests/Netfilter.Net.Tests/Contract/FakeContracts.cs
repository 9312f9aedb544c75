using Netfilter.Net.Contract;

namespace Netfilter.Net.Tests.Contract;

// The contract suite (tests/Netfilter.Net.Contract, compiled into this project unchanged) against
// Netfilter.Net.Testing's in-memory kernel. native-tests/.../Contract runs the same tests against
// the real kernel; where the two differ, one of the runs fails.

public sealed class FakeNatContract : NatContract
{
    protected override ContractKernel CreateKernel() => new FakeContractKernel();
}

public sealed class FakeConntrackContract : ConntrackContract
{
    protected override ContractKernel CreateKernel() => new FakeContractKernel();
}

public sealed class FakeSysctlContract : SysctlContract
{
    protected override ContractKernel CreateKernel() => new FakeContractKernel();
}

public sealed class FakeDoctorContract : DoctorContract
{
    protected override ContractKernel CreateKernel() => new FakeContractKernel();
}
