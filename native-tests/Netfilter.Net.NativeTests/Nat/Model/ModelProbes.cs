using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// Chooses a connection that a rule is about: to its public port (one end of a range, or its
/// middle), of a family it takes, from the client, from the router itself (the output hook: what
/// local is for) or from the host beside the server (what hairpin is for); for redirects and
/// tproxy sometimes to an address passing through the router; for snat and masquerade a
/// connection from the client to the server's port 9000. <paramref name="variant"/> picks among
/// those, so a probe step is reproducible. What must happen is predicted from the whole model,
/// not from the rule alone: a probe of a rule that was removed, or whose conditions the connection
/// does not meet, proves that nothing (or another rule) takes it.
/// </summary>
internal static class ModelProbes
{
    public static Probe For(ModelRule rule, int variant)
    {
        int v = variant;
        int Next(int n)
        {
            int value = v % n;
            v /= n;
            return value;
        }
        bool v6 = rule.V4 && rule.V6 ? Next(2) == 1 : rule.V6;
        IPAddress lan = v6 ? ModelNetwork.LanV6 : ModelNetwork.LanV4;
        IPAddress server = v6 ? ModelNetwork.ServerV6 : ModelNetwork.ServerV4;
        IPAddress wan = ModelNetwork.WanAddress(v6);
        int port = Next(3) switch
        {
            0 => rule.FirstPort,
            1 => rule.LastPort,
            _ => (rule.FirstPort + rule.LastPort) / 2,
        };
        if (rule.LastPort - rule.FirstPort > 100)
        {
            port = 85; // a forward of every port: any port the server listens on
        }
        // UDP only where a UDP answer is unambiguous: IPv4 redirects and forwards from the client.
        bool udp = !rule.Tcp && !v6 && rule.Kind is NatRuleKind.Redirect or NatRuleKind.Dnat;
        switch (rule.Kind)
        {
            case NatRuleKind.Dnat:
                {
                    ProbeFrom from = udp ? ProbeFrom.Client : Next(4) switch
                    {
                        2 => ProbeFrom.Router,
                        3 => ProbeFrom.Beside,
                        _ => ProbeFrom.Client,
                    };
                    IPAddress destination = rule.Destination ?? (from == ProbeFrom.Beside || Next(2) == 0 ? lan : wan);
                    if (from == ProbeFrom.Beside && !ModelNetwork.IsRouterAddress(destination))
                    {
                        from = ProbeFrom.Client; // the server's own address is local to the host beside it: that never reaches the router
                    }
                    return new Probe(from, v6, udp, destination, port);
                }
            case NatRuleKind.Redirect:
                {
                    ProbeFrom from = udp ? ProbeFrom.Client : Next(4) == 3 ? ProbeFrom.Router : ProbeFrom.Client;
                    IPAddress destination = rule.Destination ?? (Next(2) == 0 ? lan : server);
                    if (from == ProbeFrom.Router && !ModelNetwork.IsRouterAddress(destination) && rule.Destination is null)
                    {
                        destination = lan;
                    }
                    return new Probe(from, v6, udp, destination, port);
                }
            case NatRuleKind.Tproxy:
                return new Probe(ProbeFrom.Client, v6, false, Next(3) == 0 ? lan : server, port);
            default:
                return new Probe(ProbeFrom.Client, v6, false, server, 9000);
        }
    }
}
