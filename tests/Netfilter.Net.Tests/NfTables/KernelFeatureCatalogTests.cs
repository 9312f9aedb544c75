using System.IO;
using System.Runtime.CompilerServices;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.Tests.NfTables;

/// <summary>
/// Every expression type the library encodes has a kernel feature (first kernel, build option) to
/// explain a refusal with, and a check in the kernel suite (native-tests/kernels) that proves it
/// on each kernel of the matrix.
/// </summary>
public sealed class KernelFeatureCatalogTests
{
    private static IEnumerable<Type> ExpressionTypes() =>
        typeof(NftExpression).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(NftExpression)) && !t.IsAbstract && t != typeof(UnknownExpression));

    // Name returns a constant; an uninitialized instance is enough to read it.
    private static string KernelName(Type t) => ((NftExpression)RuntimeHelpers.GetUninitializedObject(t)).Name;

    [Fact]
    public void Every_expression_type_has_a_first_kernel()
    {
        List<string> missing = ExpressionTypes().Select(KernelName).Where(n => KernelFeatures.ForExpression(n) is null).ToList();
        missing.Should().BeEmpty();
        KernelFeatures.Expressions.Should().OnlyContain(f => f.FirstKernel >= new Version(3, 13) && f.Source.Length > 0);
    }

    [Fact]
    public void Every_expression_file_has_a_check_in_the_kernel_suite()
    {
        string checks = File.ReadAllText(Path.Combine(RepositoryRoot(), "native-tests", "kernels", "Netfilter.Net.KernelSuite", "Checks", "ExpressionChecks.cs"));
        List<string> withoutCheck = ExpressionTypes().Select(t => t.Name).Where(n => !checks.Contains($"\"{n}\"", StringComparison.Ordinal) && !checks.Contains($"expr.{n}\"", StringComparison.Ordinal)).ToList();
        withoutCheck.Should().BeEmpty("each expression file needs at least one rule in the kernel matrix");
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Netfilter.Net.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("Netfilter.Net.sln not found above " + AppContext.BaseDirectory);
    }
}
