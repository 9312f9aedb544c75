using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// The commands a finding's fix names: the <c>nfnet</c> command line (with <c>--table</c> and
/// <c>--netns</c> when they are not the defaults) and the library call that does the same.
/// </summary>
internal static class FixCommands
{
    /// <summary>" --netns NAME" when the namespace has a name.</summary>
    public static string Netns(DoctorFacts facts) => facts.NamespaceName is string name ? " --netns " + name : string.Empty;

    /// <summary>" --table NAME --netns NAME" as far as they differ from the defaults.</summary>
    public static string TableAndNetns(DoctorFacts facts) => (facts.Table != "nfnet" ? " --table " + facts.Table : string.Empty) + Netns(facts);

    /// <summary>The library's namespace argument: <c>NetworkNamespace.FromName("router")</c> or <c>null</c>.</summary>
    public static string Namespace(DoctorFacts facts) => facts.NamespaceName is string name ? $"NetworkNamespace.FromName(\"{name}\")" : "null";

    /// <summary><c>nfnet sysctl set KEY VALUE</c>.</summary>
    public static string SysctlSet(DoctorFacts facts, string key, string value) => $"nfnet sysctl set {key} {value}{Netns(facts)}";

    /// <summary>
    /// The fix that sets a sysctl: <paramref name="usual"/> (the nfnet command and library call),
    /// or, where /proc/sys is read-only (a container), the container-level way, since the usual
    /// one would fail there with EROFS.
    /// </summary>
    public static string SysctlFix(DoctorFacts facts, string key, string value, string usual) => facts.SysctlsReadOnly
        ? $"/proc/sys is read-only here (a container that is not privileged), so {usual.TrimEnd('.')} would fail: set {key}={value} when the container starts "
          + $"(docker run --sysctl {key}={value}, or the pod's securityContext.sysctls), or on the host if this is the host's namespace."
        : usual;

    /// <summary><c>nfnet redirect|forward|masquerade|snat|tproxy add|remove ...</c> for a typed rule.</summary>
    public static string Command(NatRule rule, string verb, DoctorFacts facts)
    {
        var sb = new StringBuilder("nfnet ");
        switch (rule)
        {
            case RedirectRule r:
                sb.Append("redirect ").Append(verb).Append(" --proto ").Append(Proto(r.Protocol)).Append(" --port ").Append(r.Ports)
                  .Append(" --to-port ").Append(r.ToPort.ToString(CultureInfo.InvariantCulture));
                foreach (IPNetwork source in r.Sources) sb.Append(" --source ").Append(source);
                if (r.InputInterface is not null) sb.Append(" --iif ").Append(r.InputInterface);
                if (r.IncludeLocal) sb.Append(" --local");
                break;
            case DnatRule d:
                sb.Append("forward ").Append(verb).Append(" --proto ").Append(Proto(d.Protocol));
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
                sb.Append("tproxy ").Append(verb).Append(" --proto ").Append(Proto(t.Protocol)).Append(" --port ").Append(t.Ports)
                  .Append(" --to-port ").Append(t.ToPort.ToString(CultureInfo.InvariantCulture))
                  .Append(" --mark 0x").Append(t.Mark.ToString("x", CultureInfo.InvariantCulture));
                break;
        }
        sb.Append(TableAndNetns(facts));
        return sb.ToString();
    }

    /// <summary>The library call that removes a typed rule.</summary>
    public static string RemoveCall(NatRule rule) => $"NatTable.RemoveAsync(NatRuleParser.Parse(\"{rule}\"))";

    private static string Proto(TransportProtocol protocol) => protocol.ToString();

    public static string Family(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
