using System.CommandLine;
using System.CommandLine.Parsing;
using System.Threading.Tasks;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet sysctl get KEY [--json] | set KEY VALUE: a sysctl of the namespace (<see cref="SysctlClient"/>).
/// With --netns only the keys of a network namespace (net.*) are accepted: any other key is
/// shared by the whole host, and --netns must not reach the host. Without --netns nfnet works on
/// the current namespace, and host-wide keys are allowed there, as with sysctl(8).
/// </summary>
internal static class SysctlCommand
{
    public static Command Create()
    {
        var command = new Command("sysctl", "Read or write a sysctl of the namespace (dotted, as sysctl(8) writes it: net.ipv4.ip_forward); with --netns, net.* keys only");
        command.Subcommands.Add(Get());
        command.Subcommands.Add(Set());
        return command;
    }

    private static Argument<SysctlKey?> KeyArgument() => new("KEY")
    {
        Description = "The key, dotted (net.ipv4.conf.all.route_localnet) or as a /proc/sys path",
        CustomParser = ParseKey,
    };

    private static Command Get()
    {
        var command = new Command("get", "Print the value of KEY");
        Argument<SysctlKey?> key = KeyArgument();
        Option<bool> json = CommonOptions.Json();
        command.Arguments.Add(key);
        command.Options.Add(json);
        CommandAction.Set(command, (context, cancellationToken) =>
        {
            SysctlKey k = context.GetValue(key)!;
            string value = ClientFor(context, k, "read").Read(k);
            if (context.GetValue(json))
            {
                JsonOutput.Write(context.Output, new SysctlJson { Namespace = context.NamespaceName, Key = k.Name, Value = value }, JsonOutput.Indented.SysctlJson);
            }
            else
            {
                context.Output.WriteLine($"{k.Name} = {value}");
            }
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Set()
    {
        var command = new Command("set", "Write VALUE to KEY");
        Argument<SysctlKey?> key = KeyArgument();
        var value = new Argument<string>("VALUE") { Description = "The new value" };
        command.Arguments.Add(key);
        command.Arguments.Add(value);
        CommandAction.Set(command, (context, cancellationToken) =>
        {
            SysctlKey k = context.GetValue(key)!;
            SysctlClient client = ClientFor(context, k, "change");
            try
            {
                client.Write(k, context.GetValue(value));
            }
            catch (System.ArgumentException e) when (e.ParamName == "value")
            {
                throw new UsageException("VALUE: " + ErrorReporter.WithoutParameterSuffix(e.Message), e);
            }
            context.Output.WriteLine($"{k.Name} = {client.Read(k)}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>
    /// The client for <paramref name="key"/>: host-wide keys only without --netns (the user names
    /// the machine they are on), never through a namespace (D3: --netns NS kernel.core_pattern
    /// used to write the host's core pattern).
    /// </summary>
    private static SysctlClient ClientFor(CommandContext context, SysctlKey key, string verb)
    {
        if (context.NamespaceName is not null && !key.IsPerNetworkNamespace)
        {
            throw new UsageException(
                $"KEY: {key.Name} is not per network namespace: only net.* keys belong to a namespace, and {key.Name} is shared by the whole host, "
                + $"so --netns {context.NamespaceName} cannot confine it; run without --netns to {verb} the host's value deliberately");
        }
        return new SysctlClient(context.Namespace) { AllowGlobalKeys = context.NamespaceName is null };
    }

    private static SysctlKey? ParseKey(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (SysctlKey.TryParse(text, out SysctlKey? key))
        {
            return key;
        }
        try
        {
            SysctlKey.Parse(text);
        }
        catch (System.ArgumentException e)
        {
            result.AddError($"KEY: {ErrorReporter.WithoutParameterSuffix(e.Message)}");
            return null;
        }
        result.AddError($"KEY: {InputText.Quote(text)} is not a sysctl key: write it dotted, e.g. net.ipv4.ip_forward");
        return null;
    }
}
