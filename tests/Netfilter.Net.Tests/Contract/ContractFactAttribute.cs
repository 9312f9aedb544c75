namespace Netfilter.Net.Contract;

/// <summary>A contract test (tests/Netfilter.Net.Contract), here run against the in-memory kernel: needs nothing.</summary>
public sealed class ContractFactAttribute : FactAttribute
{
}
