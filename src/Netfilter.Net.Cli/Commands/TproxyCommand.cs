using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Nat;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet tproxy add|remove --proto tcp|udp --port P --to-port T [--mark M] (<see cref="TproxyRule"/>).
/// A TPROXY rule works only with the policy route that delivers marked packets locally, so add
/// also ensures it (<see cref="TproxyRouting"/>: fwmark M lookup table 100, local default route
/// there) and remove takes it away once no tproxy rule of the table uses the mark.
/// </summary>
internal static class TproxyCommand
{
    /// <summary>The routing table of nfnet's tproxy route: 100, the number the kernel's TPROXY documentation uses.</summary>
    public const uint RoutingTable = 100;

    public static Command Create() => NatRuleCommand.Create("tproxy",
        $"Hand connections, unchanged, to a transparent local socket (TPROXY); also sets up the policy route (fwmark lookup table {RoutingTable})",
        () => new TproxyOptions(), AfterChangeAsync);

    private static async Task AfterChangeAsync(CommandContext context, NatTable table, NatRule rule, bool added, CancellationToken cancellationToken)
    {
        var tproxy = (TproxyRule)rule;
        string mark = "0x" + tproxy.Mark.ToString("x", CultureInfo.InvariantCulture);
        if (added)
        {
            await new TproxyRouting(tproxy.Mark, RoutingTable).EnsureAsync(context.Namespace, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"policy routing: packets marked {mark} are looked up in table {RoutingTable}, which delivers them locally");
            return;
        }
        List<TproxyRule> remaining = (await table.ListAsync(cancellationToken).ConfigureAwait(false)).OfType<TproxyRule>().ToList();
        if (remaining.Any(r => r.Mark == tproxy.Mark))
        {
            return;
        }
        // The local route of table 100 is shared by every mark: removing one mark's routing takes
        // it away, so put back what the remaining rules need.
        await new TproxyRouting(tproxy.Mark, RoutingTable).RemoveAsync(context.Namespace, cancellationToken).ConfigureAwait(false);
        foreach (uint other in remaining.Select(r => r.Mark).Distinct())
        {
            await new TproxyRouting(other, RoutingTable).EnsureAsync(context.Namespace, cancellationToken).ConfigureAwait(false);
        }
        context.Output.WriteLine($"policy routing for mark {mark} removed (no tproxy rule uses it any more)");
    }

    private sealed class TproxyOptions : NatRuleOptions
    {
        private readonly Option<TransportProtocol> _protocol = ProtocolOption(allowBoth: false);
        private readonly Option<PortRange> _port = PortOption("The port to intercept", allowRange: false);
        private readonly Option<ushort> _toPort = ToPortOption("The port of the local transparent (IP_TRANSPARENT) listener");
        private readonly Option<uint> _mark = new("--mark")
        {
            Description = "The packet mark that selects the policy route (default 1)",
            HelpName = "M",
            DefaultValueFactory = _ => 1,
            CustomParser = ValueParsers.Mark("--mark"),
        };

        public override IEnumerable<Option> Options => new Option[] { _protocol, _port, _toPort, _mark };

        protected override IReadOnlyDictionary<string, string> OptionOfParameter { get; } = new Dictionary<string, string>
        {
            ["protocol"] = "--proto",
            ["ports"] = "--port",
            ["toPort"] = "--to-port",
            ["mark"] = "--mark",
        };

        protected override NatRule Create(CommandContext context) =>
            new TproxyRule(context.GetValue(_protocol), context.GetValue(_port), context.GetValue(_toPort), context.GetValue(_mark));
    }
}
