using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Foundation;

/// <summary>A batch the kernel refuses as a whole is reported as such, against the real kernel.</summary>
public sealed class BatchRefusalTests
{
    [NativeFact]
    public void Without_CAP_NET_ADMIN_a_batch_is_refused_with_EPERM_on_its_begin_message_not_a_timeout()
    {
        using var ns = new TestNamespace();
        string self = typeof(Program).Assembly.Location;

        // nfnetlink_rcv answers the NFNL_MSG_BATCH_BEGIN with EPERM: the child must print it as
        // a failure of the batch as a whole (index -1), not wait 5 s and die with ETIMEDOUT.
        Tool.Result refused = ns.Exec("setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin", "dotnet", self, "child", "commit-table-batch", "denied");
        refused.ExitCode.Should().Be(3, refused.StandardError + refused.StandardOutput);
        refused.StandardOutput.Should().StartWith("-1 EPERM the batch as a whole");
        ns.Nft("list", "tables").Should().NotContain("denied");

        Tool.Result allowed = ns.Exec("dotnet", self, "child", "commit-table-batch", "allowed");
        allowed.ExitCode.Should().Be(0, allowed.StandardError + allowed.StandardOutput);
        ns.Nft("list", "tables").Should().Contain("table inet allowed");
    }
}
