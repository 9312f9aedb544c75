using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Net;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// The options of one kind of typed NAT rule (redirect, forward, masquerade, snat, tproxy) and
/// how they become a <see cref="NatRule"/>. Each of "add" and "remove" gets its own instance.
/// </summary>
internal abstract class NatRuleOptions
{
    /// <summary>The options, in the order help lists them.</summary>
    public abstract IEnumerable<Option> Options { get; }

    /// <summary>Which option each of the rule constructor's parameters comes from, to name it when the library refuses a value.</summary>
    protected abstract IReadOnlyDictionary<string, string> OptionOfParameter { get; }

    /// <summary>The rule the command line describes.</summary>
    /// <exception cref="UsageException">The library refused a value; the message names the option.</exception>
    public NatRule Build(CommandContext context)
    {
        try
        {
            return Create(context);
        }
        catch (ArgumentException e)
        {
            string option = e.ParamName is string p && OptionOfParameter.TryGetValue(p, out string? o) ? o + ": " : string.Empty;
            throw new UsageException(option + ErrorReporter.WithoutParameterSuffix(e.Message), e);
        }
    }

    protected abstract NatRule Create(CommandContext context);

    // The options several rule kinds share, created fresh for each command.

    protected static Option<TransportProtocol> ProtocolOption(bool allowBoth = true) => new("--proto")
    {
        Description = allowBoth ? "tcp, udp or both" : "tcp or udp",
        HelpName = allowBoth ? "tcp|udp|both" : "tcp|udp",
        Required = true,
        CustomParser = ValueParsers.Protocol("--proto", allowBoth),
    };

    protected static Option<PortRange> PortOption(string description, bool allowRange = true) => new("--port")
    {
        Description = description,
        HelpName = allowRange ? "P[-Q]" : "P",
        Required = true,
        CustomParser = allowRange ? ValueParsers.PortRange("--port") : ValueParsers.SinglePort("--port"),
    };

    protected static Option<ushort> ToPortOption(string description) => new("--to-port")
    {
        Description = description,
        HelpName = "T",
        Required = true,
        CustomParser = ValueParsers.Port("--to-port"),
    };

    protected static Option<IPNetwork[]> SourceOption() => new("--source")
    {
        Description = "Only clients in this prefix (repeat the option, or separate with commas); default: everyone",
        HelpName = "CIDR",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = ValueParsers.Prefixes("--source"),
        DefaultValueFactory = _ => Array.Empty<IPNetwork>(),
    };

    protected static Option<string> InterfaceOption(string name, string description, bool required) => new(name)
    {
        Description = description,
        HelpName = "IF",
        Required = required,
    };
}
