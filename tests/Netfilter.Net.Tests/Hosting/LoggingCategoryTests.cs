using Microsoft.Extensions.Logging;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Tests.Hosting;

/// <summary>The library logs each component under its own category when given an ILoggerFactory; one ILogger still gets everything.</summary>
public sealed class LoggingCategoryTests
{
    private sealed class Factory : ILoggerFactory
    {
        public LogRecorder Recorder { get; } = new();

        public List<string> Created { get; } = new();

        public ILogger CreateLogger(string categoryName)
        {
            lock (Created) Created.Add(categoryName);
            return Recorder.CreateLogger(categoryName);
        }

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task An_nftables_client_logs_its_netlink_traffic_under_the_netlink_category()
    {
        var factory = new Factory();
        using var client = new NfTablesClient(null, factory);

        try
        {
            await client.GetGenerationAsync();
        }
        catch (NetlinkException)
        {
            // EPERM without CAP_NET_ADMIN: the request went out all the same.
        }

        factory.Created.Should().BeEquivalentTo(new[] { NetfilterLogCategories.NfTables, NetfilterLogCategories.Netlink });
        factory.Recorder.Lines.Should().Contain(l => l.Category == "Netfilter.Net.Netlink" && l.Level == LogLevel.Trace && l.Message.StartsWith("netlink send get NFT_MSG_GETGEN"));
        factory.Recorder.Lines.Should().OnlyContain(l => l.Category == "Netfilter.Net.Netlink");
    }

    [Fact]
    public void A_conntrack_client_logs_under_conntrack_and_netlink()
    {
        var factory = new Factory();
        using var client = new ConntrackClient(null, factory);

        factory.Created.Should().BeEquivalentTo(new[] { NetfilterLogCategories.Conntrack, NetfilterLogCategories.Netlink });
    }

    [Fact]
    public void A_null_factory_is_refused_before_a_socket_is_opened()
    {
        Action nft = () => new NfTablesClient(null, (ILoggerFactory)null!);
        Action ct = () => new ConntrackClient(null, (ILoggerFactory)null!);

        nft.Should().Throw<ArgumentNullException>().WithParameterName("loggerFactory");
        ct.Should().Throw<ArgumentNullException>().WithParameterName("loggerFactory");
    }

    [Fact]
    public void A_nat_table_given_a_factory_logs_under_nat_and_its_client_under_nftables_and_netlink()
    {
        var factory = new Factory();
        var single = new LogRecorder().CreateLogger("mine");
        using var table = new NatTable("portfwd", new NatTableOptions { LoggerFactory = factory, Logger = single });

        factory.Created.Should().BeEquivalentTo(new[] { NetfilterLogCategories.Nat, NetfilterLogCategories.NfTables, NetfilterLogCategories.Netlink },
            "the factory takes precedence over the single logger");
    }

    [Fact]
    public void One_logger_still_receives_every_component()
    {
        var options = new NatTableOptions { Logger = new LogRecorder().CreateLogger("mine") };

        options.NatLogger.Should().BeSameAs(options.Logger);
    }
}
