using System.Runtime.InteropServices;

namespace Netfilter.Net.Tests;

/// <summary>This project exists to run the unit tests on .NET 8: prove that it does.</summary>
public sealed class RuntimeTests
{
    [Fact]
    public void The_tests_run_on_the_dotnet_8_runtime_against_the_librarys_net8_build()
    {
        Environment.Version.Major.Should().Be(8, RuntimeInformation.FrameworkDescription);
        RuntimeInformation.FrameworkDescription.Should().StartWith(".NET 8.0.");
        typeof(NetworkNamespace).Assembly.GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
            .Cast<System.Runtime.Versioning.TargetFrameworkAttribute>().Single().FrameworkName.Should().Be(".NETCoreApp,Version=v8.0");
    }
}
