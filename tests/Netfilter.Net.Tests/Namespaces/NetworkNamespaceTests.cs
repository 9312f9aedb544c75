namespace Netfilter.Net.Tests.Namespaces;

/// <summary>Argument checks of <see cref="NetworkNamespace"/>: refused before anything is opened, naming the parameter. No privileges needed.</summary>
public sealed class NetworkNamespaceTests
{
    [Theory]
    [InlineData("a/b")]
    [InlineData("/run/netns/x")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public void FromName_refuses_what_is_not_a_namespace_name(string name)
    {
        Action act = () => NetworkNamespace.FromName(name);

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("name");
    }

    [Fact]
    public void FromName_of_a_namespace_that_does_not_exist_says_how_to_create_it()
    {
        string name = "nfnet-unit-missing-" + Guid.NewGuid().ToString("N");

        Action act = () => NetworkNamespace.FromName(name);

        ArgumentException e = act.Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("name");
        e.Message.Should().Contain($"ip netns add {name}");
    }

    [Fact]
    public void FromName_and_FromPath_refuse_null()
    {
        Action name = () => NetworkNamespace.FromName(null!);
        Action path = () => NetworkNamespace.FromPath(null!);

        name.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("name");
        path.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("path");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(int.MinValue)]
    public void FromPid_refuses_a_pid_that_is_not_positive(int pid)
    {
        Action act = () => NetworkNamespace.FromPid(pid);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("pid");
    }

    [Fact]
    public void FromPid_of_a_process_that_does_not_exist_names_the_parameter()
    {
        // Above the kernel's PID_MAX_LIMIT (4194304), so no process can have it.
        Action act = () => NetworkNamespace.FromPid(int.MaxValue);

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("pid");
    }

    [Fact]
    public void FromPath_of_a_missing_file_names_the_parameter()
    {
        Action act = () => NetworkNamespace.FromPath("/nonexistent/nfnet/ns/net");

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("path");
    }

    [Fact]
    public void FromPid_of_this_process_opens_its_namespace_and_describes_it()
    {
        using NetworkNamespace own = NetworkNamespace.FromPid(Environment.ProcessId);

        own.IsCurrent.Should().BeFalse("it is held by a descriptor, even though it is the same namespace");
        own.Description.Should().Be($"/proc/{Environment.ProcessId}/ns/net");
        own.ToString().Should().Be(own.Description);
    }

    [Fact]
    public void Current_runs_work_on_the_calling_thread_and_ignores_Dispose()
    {
        NetworkNamespace current = NetworkNamespace.Current;
        int caller = Environment.CurrentManagedThreadId;

        current.IsCurrent.Should().BeTrue();
        current.Run(() => Environment.CurrentManagedThreadId).Should().Be(caller);
        current.Dispose();
        current.Run(() => 42).Should().Be(42);
    }

    [Fact]
    public void Run_refuses_a_null_action()
    {
        Action func = () => NetworkNamespace.Current.Run<int>(null!);
        Action action = () => NetworkNamespace.Current.Run((Action)null!);

        func.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("action");
        action.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("action");
    }

    [Fact]
    public void A_disposed_namespace_refuses_work()
    {
        NetworkNamespace own = NetworkNamespace.FromPid(Environment.ProcessId);
        own.Dispose();

        Action act = () => own.Run(() => 1);

        act.Should().Throw<ObjectDisposedException>();
    }
}
