using System;
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
        () => new TproxyOptions(), AfterChangeAsync, BeforeAddAsync);

    /// <summary>
    /// The policy route goes in before the rule: a TPROXY rule without it marks packets that then
    /// go nowhere. If the add fails after that, the route is taken back when this add created it.
    /// </summary>
    private static async Task<Func<Task>?> BeforeAddAsync(CommandContext context, NatTable table, NatRule rule, CancellationToken cancellationToken)
    {
        var routing = new TproxyRouting(((TproxyRule)rule).Mark, RoutingTable);
        TproxyRoutingState before = await routing.GetStateAsync(context.Namespace, cancellationToken).ConfigureAwait(false);
        await routing.EnsureAsync(context.Namespace, cancellationToken).ConfigureAwait(false);
        if (before.Missing.Count == 0)
        {
            return null;
        }
        return async () =>
        {
            List<TproxyRule> remaining = (await table.ListAsync(CancellationToken.None).ConfigureAwait(false)).OfType<TproxyRule>().ToList();
            await RemoveRoutingAsync(context, routing.Mark, remaining, CancellationToken.None).ConfigureAwait(false);
        };
    }

    private static async Task AfterChangeAsync(CommandContext context, NatTable table, NatRule rule, bool added, CancellationToken cancellationToken)
    {
        var tproxy = (TproxyRule)rule;
        string mark = "0x" + tproxy.Mark.ToString("x", CultureInfo.InvariantCulture);
        if (added)
        {
            // BeforeAddAsync put the route in place before the rule.
            context.Output.WriteLine($"policy routing: packets marked {mark} are looked up in table {RoutingTable}, which delivers them locally");
            return;
        }
        List<TproxyRule> remaining = (await table.ListAsync(cancellationToken).ConfigureAwait(false)).OfType<TproxyRule>().ToList();
        if (remaining.Any(r => r.Mark == tproxy.Mark))
        {
            return;
        }
        await RemoveRoutingAsync(context, tproxy.Mark, remaining, cancellationToken).ConfigureAwait(false);
        context.Output.WriteLine($"policy routing for mark {mark} removed (no tproxy rule uses it any more)");
    }

    /// <summary>Removes <paramref name="mark"/>'s policy routing and puts back what the <paramref name="remaining"/> tproxy rules need.</summary>
    private static async Task RemoveRoutingAsync(CommandContext context, uint mark, IReadOnlyList<TproxyRule> remaining, CancellationToken cancellationToken)
    {
        if (remaining.Any(r => r.Mark == mark))
        {
            return;
        }
        // The local route of table 100 is shared by every mark: removing one mark's routing takes
        // it away, so put back what the remaining rules need.
        await new TproxyRouting(mark, RoutingTable).RemoveAsync(context.Namespace, cancellationToken).ConfigureAwait(false);
        foreach (uint other in remaining.Select(r => r.Mark).Distinct())
        {
            await new TproxyRouting(other, RoutingTable).EnsureAsync(context.Namespace, cancellationToken).ConfigureAwait(false);
        }
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
