using System.CommandLine;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Cli.Commands;

/// <summary>nfnet forwarding status|on|off [--ipv6]: IP forwarding of the namespace (<see cref="Forwarding"/>), which forwards to other hosts need.</summary>
internal static class ForwardingCommand
{
    public static Command Create()
    {
        var command = new Command("forwarding", "Show or switch IP forwarding (net.ipv4.ip_forward, net.ipv6.conf.all.forwarding), which forwards to other hosts need");
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Switch("on", enable: true));
        command.Subcommands.Add(Switch("off", enable: false));
        return command;
    }

    private static Option<bool> Ipv6(string description) => new("--ipv6") { Description = description };

    private static Command Status()
    {
        var command = new Command("status", "Show whether IPv4 and IPv6 are forwarded");
        Option<bool> ipv6 = Ipv6("Show IPv6 only");
        Option<bool> json = CommonOptions.Json();
        command.Options.Add(ipv6);
        command.Options.Add(json);
        CommandAction.Set(command, (context, cancellationToken) =>
        {
            ForwardingStatus status = Forwarding.GetStatus(context.Namespace);
            bool onlyIpv6 = context.GetValue(ipv6);
            if (context.GetValue(json))
            {
                JsonOutput.Write(context.Output, new ForwardingJson
                {
                    Namespace = context.NamespaceName,
                    Ipv4 = onlyIpv6 ? null : status.IPv4,
                    Ipv6 = status.IPv6,
                }, JsonOutput.Indented.ForwardingJson);
            }
            else
            {
                if (!onlyIpv6)
                {
                    context.Output.WriteLine($"ipv4 forwarding: {(status.IPv4 ? "on" : "off")} (net.ipv4.ip_forward)");
                }
                context.Output.WriteLine($"ipv6 forwarding: {(status.IPv6 ? "on" : "off")} (net.ipv6.conf.all.forwarding)");
            }
            return System.Threading.Tasks.Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Switch(string name, bool enable)
    {
        var command = new Command(name, $"Turn IPv4 forwarding {name} (IPv6 with --ipv6)");
        Option<bool> ipv6 = Ipv6($"Turn IPv6 forwarding {name} instead of IPv4");
        command.Options.Add(ipv6);
        CommandAction.Set(command, (context, cancellationToken) =>
        {
            NetfilterFamily family = context.GetValue(ipv6) ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4;
            if (enable)
            {
                Forwarding.Enable(family, context.Namespace);
            }
            else
            {
                Forwarding.Disable(family, context.Namespace);
            }
            string which = family == NetfilterFamily.IPv6 ? "ipv6" : "ipv4";
            context.Output.WriteLine($"{which} forwarding is {name} in {context.Where}");
            return System.Threading.Tasks.Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
