using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>nfnet snat add|remove --oif IF --to ADDR [--source CIDR]... (<see cref="SnatRule"/>).</summary>
internal static class SnatCommand
{
    public static Command Create() => NatRuleCommand.Create("snat",
        "Give connections leaving through an interface a fixed source address (SNAT)",
        () => new SnatOptions());

    /// <summary>The parsed --to value: an address, or a range of them.</summary>
    internal sealed record Source(IPAddress First, IPAddress? Last);

    private sealed class SnatOptions : NatRuleOptions
    {
        private readonly Option<string> _oif = InterfaceOption("--oif", "The interface the connections leave through", required: true);
        private readonly Option<Source?> _to = new("--to")
        {
            Description = "The new source address (or a range: 10.0.2.1-10.0.2.9)",
            HelpName = "ADDR",
            Required = true,
            CustomParser = ParseSource,
        };
        private readonly Option<IPNetwork[]> _source = SourceOption();

        public override IEnumerable<Option> Options => new Option[] { _oif, _to, _source };

        protected override IReadOnlyDictionary<string, string> OptionOfParameter { get; } = new Dictionary<string, string>
        {
            ["outputInterface"] = "--oif",
            ["toAddress"] = "--to",
            ["toAddressLast"] = "--to",
            ["sources"] = "--source",
        };

        protected override NatRule Create(CommandContext context)
        {
            Source to = context.GetValue(_to)!;
            return new SnatRule(to.First, to.Last, context.GetValue(_oif), context.GetValue(_source));
        }

        private static Source? ParseSource(ArgumentResult result)
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (ValueParsers.TryParseAddressRange("--to", text, out IPAddress first, out IPAddress? last) is string error)
            {
                result.AddError(error);
                return null;
            }
            return new Source(first, last);
        }
    }
}
