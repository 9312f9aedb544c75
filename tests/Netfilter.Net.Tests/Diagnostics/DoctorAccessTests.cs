using Netfilter.Net.Diagnostics;
using Netfilter.Net.NfTables;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.Diagnostics;

/// <summary>A kernel without nftables, or a caller without CAP_NET_ADMIN, is a finding, not an exception.</summary>
public sealed class DoctorAccessTests
{
    private static async Task<DoctorFinding?> RefusedWith(Errno errno)
    {
        var kernel = new FakeKernel();
        kernel.OnNextRequest(r => new FakeStep[] { FakeReply.Error(r.Messages[0].Header.Sequence, errno) });
        (Ruleset? ruleset, DoctorFinding? problem) = await DoctorFactsReader.ReadRulesetAsync(() => new NfTablesClient(kernel), "namespace router", CancellationToken.None);
        ruleset.Should().BeNull();
        kernel.Requests.Should().ContainSingle("GETGEN is the first request, and nothing follows a refusal");
        return problem;
    }

    [Theory]
    [InlineData(Errno.EINVAL)]       // nfnetlink_rcv_msg: no NFNL_SUBSYS_NFTABLES registered
    [InlineData(Errno.EOPNOTSUPP)]
    [InlineData(Errno.ENOENT)]
    public async Task A_kernel_without_nf_tables_is_reported(Errno errno)
    {
        DoctorFinding finding = (await RefusedWith(errno))!;
        finding.Code.Should().Be(DoctorCodes.NfTablesUnavailable);
        finding.Severity.Should().Be(DoctorSeverity.Error);
        finding.Problem.Should().Be($"nftables is not available in this kernel: get NFT_MSG_GETGEN failed with {errno}.");
        finding.Fix.Should().Contain("modprobe nf_tables");
    }

    [Fact]
    public async Task EPERM_is_a_missing_capability()
    {
        DoctorFinding finding = (await RefusedWith(Errno.EPERM))!;
        finding.Code.Should().Be(DoctorCodes.CapNetAdminMissing);
        finding.Problem.Should().Contain("namespace router");
        finding.Fix.Should().Contain("run as root".Replace("run", "Run")).And.Contain("setcap cap_net_admin+ep");
    }

    [Fact]
    public async Task A_kernel_without_nfnetlink_fails_at_the_socket_and_is_reported()
    {
        (Ruleset? ruleset, DoctorFinding? problem) = await DoctorFactsReader.ReadRulesetAsync(
            () => throw new NetlinkException(Errno.EPROTONOSUPPORT, "socket(AF_NETLINK, NETLINK_NETFILTER)"), "this namespace", CancellationToken.None);
        ruleset.Should().BeNull();
        problem!.Code.Should().Be(DoctorCodes.NfTablesUnavailable);
        problem.Why.Should().Contain("CONFIG_NETFILTER_NETLINK");
    }

    [Fact]
    public async Task Other_failures_are_not_hidden()
    {
        var kernel = new FakeKernel();
        kernel.OnNextRequest(r => new FakeStep[] { FakeReply.Error(r.Messages[0].Header.Sequence, Errno.EBUSY) });
        await FluentActions.Awaiting(() => DoctorFactsReader.ReadRulesetAsync(() => new NfTablesClient(kernel), "this namespace", CancellationToken.None))
            .Should().ThrowAsync<NetlinkException>().Where(e => e.Errno == Errno.EBUSY);
    }
}
