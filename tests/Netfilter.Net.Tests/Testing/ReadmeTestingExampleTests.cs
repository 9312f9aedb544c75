using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;
using Netfilter.Net.Testing;

namespace Netfilter.Net.Tests.Testing;

// The example of the README's "Testing your service without root", word for word: a service that
// depends on the library's interfaces, and its tests over FakeNetfilter. Kept here so the README
// cannot show code that does not compile or pass.

/// <summary>The service under test: publishes a TCP port of a backend through this host.</summary>
public sealed class PortPublisher(INatTableFactory tables, ISysctlClient sysctl)
{
    public async Task<NatApplyResult> PublishAsync(int port, IPAddress backend, CancellationToken cancellationToken = default)
    {
        sysctl.EnableForwarding(NetfilterFamily.IPv4);
        using INatTable table = tables.Open("publisher");
        return await table.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, port, backend, port, masquerade: true) }, cancellationToken);
    }
}

public sealed class PortPublisherTests
{
    [Fact]
    public async Task Publishing_a_port_forwards_it_once_and_turns_forwarding_on()
    {
        var kernel = new FakeNetfilter();
        var publisher = new PortPublisher(kernel.Tables, kernel.Sysctl);

        NatApplyResult first = await publisher.PublishAsync(8080, IPAddress.Parse("10.0.0.5"));
        NatApplyResult again = await publisher.PublishAsync(8080, IPAddress.Parse("10.0.0.5"));

        first.Added.Select(r => r.ToString()).Should().Equal("dnat tcp 8080 to 10.0.0.5:8080 masquerade");
        first.Warnings.Should().BeEmpty();
        again.Changed.Should().BeFalse();
        kernel.Sysctl.GetForwardingStatus().IPv4.Should().BeTrue();
    }

    [Fact]
    public async Task A_commit_the_kernel_refuses_reaches_the_caller_and_changes_nothing()
    {
        var kernel = new FakeNetfilter();
        kernel.Faults.RefuseNextCommit(Errno.ENOMEM);
        var publisher = new PortPublisher(kernel.Tables, kernel.Sysctl);

        await FluentActions.Awaiting(() => publisher.PublishAsync(8080, IPAddress.Parse("10.0.0.5")))
            .Should().ThrowAsync<NfTablesException>().Where(e => e.Errno == Errno.ENOMEM);

        using INatTable table = kernel.Tables.Open("publisher");
        (await table.InspectAsync()).Ownership.Should().Be(NatTableOwnership.Missing);
    }
}
