using System.Collections.Generic;
using System.CommandLine;
using System.Net;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>nfnet redirect add|remove --proto tcp|udp|both --port P[-Q] --to-port T [--source CIDR]... [--iif IF] [--local] (<see cref="RedirectRule"/>).</summary>
internal static class RedirectCommand
{
    public static Command Create() => NatRuleCommand.Create("redirect",
        "Deliver connections to a port of this host to a local process on another port (REDIRECT)",
        () => new RedirectOptions());

    private sealed class RedirectOptions : NatRuleOptions
    {
        private readonly Option<TransportProtocol> _protocol = ProtocolOption();
        private readonly Option<PortRange> _port = PortOption("The port (or range) clients connect to");
        private readonly Option<ushort> _toPort = ToPortOption("The local port the process listens on");
        private readonly Option<IPNetwork[]> _source = SourceOption();
        private readonly Option<string> _iif = InterfaceOption("--iif", "Only connections arriving on this interface", required: false);
        private readonly Option<bool> _local = new("--local") { Description = "Also redirect connections made by processes on this host (the output hook)" };

        public override IEnumerable<Option> Options => new Option[] { _protocol, _port, _toPort, _source, _iif, _local };

        protected override IReadOnlyDictionary<string, string> OptionOfParameter { get; } = new Dictionary<string, string>
        {
            ["protocol"] = "--proto",
            ["ports"] = "--port",
            ["toPort"] = "--to-port",
            ["sources"] = "--source",
            ["inputInterface"] = "--iif",
        };

        protected override NatRule Create(CommandContext context) => new RedirectRule(
            context.GetValue(_protocol),
            context.GetValue(_port),
            context.GetValue(_toPort),
            inputInterface: context.Parse.GetValue(_iif),
            sources: context.GetValue(_source),
            includeLocal: context.GetValue(_local));
    }
}
