using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>nfnet forward add|remove --proto tcp|udp|both --port P[-Q] --to ADDR[:PORT] [--source CIDR]... [--masquerade] [--hairpin] [--local] (<see cref="DnatRule"/>).</summary>
internal static class ForwardCommand
{
    public static Command Create() => NatRuleCommand.Create("forward",
        "Send connections to a port of this host on to another host (DNAT)",
        () => new ForwardOptions());

    /// <summary>The parsed --to value.</summary>
    internal sealed record Target(IPAddress Address, PortRange? Ports);

    private sealed class ForwardOptions : NatRuleOptions
    {
        private readonly Option<TransportProtocol> _protocol = ProtocolOption();
        private readonly Option<PortRange> _port = PortOption("The public port (or range) clients connect to");
        private readonly Option<Target?> _to = new("--to")
        {
            Description = "The inner host, and its port when it differs: 192.168.1.10:22, or IPv6 in brackets: [2001:db8::10]:22",
            HelpName = "ADDR[:PORT]",
            Required = true,
            CustomParser = ParseTarget,
        };
        private readonly Option<IPNetwork[]> _source = SourceOption();
        private readonly Option<bool> _masquerade = new("--masquerade") { Description = "Also masquerade the forwarded connections, so replies come back through this host even when the server does not route through it" };
        private readonly Option<bool> _hairpin = new("--hairpin") { Description = "Also masquerade clients on the server's own network that use the public address" };
        private readonly Option<bool> _local = new("--local") { Description = "Also forward connections made by processes on this host (the output hook)" };

        public override IEnumerable<Option> Options => new Option[] { _protocol, _port, _to, _source, _masquerade, _hairpin, _local };

        protected override IReadOnlyDictionary<string, string> OptionOfParameter { get; } = new Dictionary<string, string>
        {
            ["protocol"] = "--proto",
            ["ports"] = "--port",
            ["toAddress"] = "--to",
            ["toPorts"] = "--to",
            ["sources"] = "--source",
            ["hairpin"] = "--hairpin",
            ["masquerade"] = "--masquerade",
            ["includeLocal"] = "--local",
        };

        protected override NatRule Create(CommandContext context)
        {
            Target target = context.GetValue(_to)!;
            return new DnatRule(
                context.GetValue(_protocol),
                context.GetValue(_port),
                target.Address,
                target.Ports,
                sources: context.GetValue(_source),
                masquerade: context.GetValue(_masquerade),
                hairpin: context.GetValue(_hairpin),
                includeLocal: context.GetValue(_local));
        }

        private static Target? ParseTarget(ArgumentResult result)
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (ValueParsers.TryParseTarget("--to", text, out IPAddress address, out PortRange? ports) is string error)
            {
                result.AddError(error);
                return null;
            }
            return new Target(address, ports);
        }
    }
}
