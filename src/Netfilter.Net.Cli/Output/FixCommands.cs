using System.Globalization;
using System.Net;
using System.Text;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Output;

/// <summary>
/// The doctor's fixes as nfnet command lines: the one place that turns a <see cref="DoctorFix"/>
/// into the command that makes it, with <c>--table</c> and <c>--netns</c> when they are not the defaults.
/// </summary>
internal static class FixCommands
{
    /// <summary>The finding's advice with every fix written as an nfnet command.</summary>
    public static string Render(DoctorFinding finding) => finding.FixText?.Render(Command, Scope) ?? finding.Fix;

    /// <summary>The nfnet command that makes <paramref name="fix"/>.</summary>
    public static string Command(DoctorFix fix) => fix switch
    {
        SetSysctlFix s => $"nfnet sysctl set {s.Key} {s.Value}{Netns(s.NamespaceName)}",
        EnableForwardingFix f => $"nfnet forwarding on{(f.Family == NetfilterFamily.IPv6 ? " --ipv6" : string.Empty)}{Netns(f.NamespaceName)}",
        AddNatRuleFix a => RuleCommand(a.Rule, "add") + Options(new NatTableScope(a.Table, a.NamespaceName)),
        RemoveNatRuleFix r => RuleCommand(r.Rule, "remove") + Options(new NatTableScope(r.Table, r.NamespaceName)),
        _ => fix.Description,
    };

    /// <summary>
    /// The nfnet command that does what a table scope asks, with the library call after it
    /// (<c>nfnet list --table t (NatTable.ListAsync)</c>); for <see cref="NatTableAction.None"/> only
    /// the options, the words saying the rest.
    /// </summary>
    public static string Scope(NatTableScope scope)
    {
        string? command = scope.Action switch
        {
            NatTableAction.Open => "nfnet ...",
            NatTableAction.Examine => "nfnet doctor",
            NatTableAction.AddRule => "nfnet redirect|forward ... add",
            NatTableAction.ApplyRules => "nfnet apply -f FILE",
            NatTableAction.ListRules => "nfnet list",
            _ => null,
        };
        return command is null ? Options(scope) : $"{command}{Options(scope)} ({scope.Call})";
    }

    /// <summary>" --table NAME --netns NAME" as far as they differ from the defaults.</summary>
    public static string Options(NatTableScope scope) =>
        (scope.Table != CommonOptions.DefaultTable ? " --table " + scope.Table : string.Empty) + Netns(scope.NamespaceName);

    private static string Netns(string? name) => name is null ? string.Empty : " --netns " + name;

    /// <summary><c>nfnet redirect|forward|masquerade|snat|tproxy add|remove ...</c> for a typed rule.</summary>
    private static string RuleCommand(NatRule rule, string verb)
    {
        var sb = new StringBuilder("nfnet ");
        switch (rule)
        {
            case RedirectRule r:
                sb.Append("redirect ").Append(verb).Append(" --proto ").Append(r.Protocol.ToString()).Append(" --port ").Append(r.Ports)
                  .Append(" --to-port ").Append(r.ToPort.ToString(CultureInfo.InvariantCulture));
                foreach (IPNetwork source in r.Sources) sb.Append(" --source ").Append(source);
                if (r.InputInterface is not null) sb.Append(" --iif ").Append(r.InputInterface);
                if (r.IncludeLocal) sb.Append(" --local");
                break;
            case DnatRule d:
                sb.Append("forward ").Append(verb).Append(" --proto ").Append(d.Protocol.ToString());
                if (d.Ports is PortRange ports) sb.Append(" --port ").Append(ports);
                sb.Append(" --to ").Append(d.IsIPv6 ? $"[{d.ToAddress}]" : d.ToAddress.ToString());
                if (d.ToPorts is PortRange to) sb.Append(':').Append(to);
                foreach (IPNetwork source in d.Sources) sb.Append(" --source ").Append(source);
                if (d.Masquerade) sb.Append(" --masquerade");
                if (d.Hairpin) sb.Append(" --hairpin");
                break;
            case MasqueradeRule m:
                sb.Append("masquerade ").Append(verb);
                if (m.OutputInterface is not null) sb.Append(" --oif ").Append(m.OutputInterface);
                foreach (IPNetwork source in m.Sources) sb.Append(" --source ").Append(source);
                break;
            case SnatRule s:
                sb.Append("snat ").Append(verb);
                if (s.OutputInterface is not null) sb.Append(" --oif ").Append(s.OutputInterface);
                sb.Append(" --to ").Append(s.ToAddress);
                foreach (IPNetwork source in s.Sources) sb.Append(" --source ").Append(source);
                break;
            case TproxyRule t:
                sb.Append("tproxy ").Append(verb).Append(" --proto ").Append(t.Protocol.ToString()).Append(" --port ").Append(t.Ports)
                  .Append(" --to-port ").Append(t.ToPort.ToString(CultureInfo.InvariantCulture))
                  .Append(" --mark 0x").Append(t.Mark.ToString("x", CultureInfo.InvariantCulture));
                break;
        }
        return sb.ToString();
    }
}
