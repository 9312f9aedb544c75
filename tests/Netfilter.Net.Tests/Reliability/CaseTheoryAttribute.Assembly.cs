namespace Netfilter.Net.Reliability;

public partial class CaseTheoryAttribute
{
    /// <summary>The assembly that holds <see cref="CaseTheoryDiscoverer"/> in this project.</summary>
    public const string AssemblyName = "Netfilter.Net.Tests";
}
