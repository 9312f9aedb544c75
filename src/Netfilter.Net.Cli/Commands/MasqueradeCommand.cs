using System.Collections.Generic;
using System.CommandLine;
using System.Net;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>nfnet masquerade add|remove --oif IF [--source CIDR]... (<see cref="MasqueradeRule"/>).</summary>
internal static class MasqueradeCommand
{
    public static Command Create() => NatRuleCommand.Create("masquerade",
        "Give connections leaving through an interface that interface's address as their source (MASQUERADE)",
        () => new MasqueradeOptions());

    private sealed class MasqueradeOptions : NatRuleOptions
    {
        private readonly Option<string> _oif = InterfaceOption("--oif", "The interface the connections leave through (the uplink)", required: true);
        private readonly Option<IPNetwork[]> _source = SourceOption();

        public override IEnumerable<Option> Options => new Option[] { _oif, _source };

        protected override IReadOnlyDictionary<string, string> OptionOfParameter { get; } = new Dictionary<string, string>
        {
            ["outputInterface"] = "--oif",
            ["sources"] = "--source",
        };

        protected override NatRule Create(CommandContext context) =>
            new MasqueradeRule(context.GetValue(_oif), context.GetValue(_source));
    }
}
