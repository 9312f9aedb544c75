namespace Netfilter.Net.KernelSuite;

/// <summary>
/// One kernel feature the library uses, proven against the running kernel. <see cref="Run"/>
/// returns what it saw (printed after PASS) or throws: an <c>NfTablesKernelFeatureException</c>
/// means the kernel lacks the feature and the library said so with its typed error (NEEDS);
/// anything else is a failure.
/// </summary>
/// <param name="Id">Stable name, e.g. "expr.meta" or "destroy.table": the matrix compares outcomes by it.</param>
/// <param name="Feature">What is proven, in a few words.</param>
/// <param name="Run">The check.</param>
internal sealed record Check(string Id, string Feature, Func<Task<string>> Run);

/// <summary>A check's outcome.</summary>
internal enum Outcome
{
    Pass,
    Needs,
    Fail,
}
