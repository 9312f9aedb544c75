using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// What each typed rule must compile to in the kernel, derived here from the rule and the layout
/// the README draws ("Typed NAT rules") and NatTableLayout documents, not from the compiler:
/// <list type="bullet">
/// <item>a plain redirect (one port, no destination, interface or sources) is one element per
/// protocol in <c>redirect_pre</c> (protocol . port : target port), and in <c>redirect_out</c> too
/// with local; any other redirect is one rule per protocol and source prefix in <c>pre_rules</c>
/// (and in <c>out_rules</c> with local);</item>
/// <item>a plain forward (one public port, one target port or none, no destination, interface,
/// sources, persistent or random: what a map of protocol . port : address . port can say) is one
/// element per protocol in <c>dnat4_pre</c>/<c>dnat6_pre</c> (and <c>_out</c> with local), plus
/// with masquerade one element protocol . public port . target . target port in
/// <c>masq4</c>/<c>masq6</c>; any other forward is one rule per protocol and source prefix in
/// <c>pre_rules</c> (and <c>out_rules</c> with local), plus with masquerade one return-path rule
/// per protocol and source prefix in <c>post_forward</c>; hairpin adds one rule per protocol and
/// source prefix in <c>post_forward</c>;</item>
/// <item>tproxy is one rule per protocol in the <c>tproxy</c> chain;</item>
/// <item>snat and masquerade are one rule per source prefix in <c>post_rules</c>.</item>
/// </list>
/// Elements are compared whole (set, key, value); rules by count per chain.
/// </summary>
internal sealed class ModelPieces
{
    public List<string> Elements { get; } = new();

    public Dictionary<string, int> RuleCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>An element as the oracle writes it: <c>set: key [: value]</c>, fields joined by " . ".</summary>
    public static string Element(string set, string key, string? value) => value is null ? $"{set}: {key}" : $"{set}: {key} : {value}";

    public static ModelPieces Of(NatRule rule)
    {
        var pieces = new ModelPieces();
        switch (rule)
        {
            case RedirectRule r:
                {
                    bool plain = r.Ports.IsSingle && r.Destination is null && r.InputInterface is null && r.Sources.Count == 0;
                    foreach (string protocol in Protocols(r.Protocol))
                    {
                        if (plain)
                        {
                            string key = $"{protocol} . {Port(r.Ports.First)}";
                            pieces.Elements.Add(Element("redirect_pre", key, Port(r.ToPort)));
                            if (r.IncludeLocal)
                            {
                                pieces.Elements.Add(Element("redirect_out", key, Port(r.ToPort)));
                            }
                            continue;
                        }
                        int each = Math.Max(1, r.Sources.Count);
                        pieces.Count("pre_rules", each);
                        if (r.IncludeLocal)
                        {
                            pieces.Count("out_rules", each);
                        }
                    }
                    break;
                }
            case DnatRule d:
                {
                    bool v6 = ModelRule.IsV6(d.ToAddress);
                    bool plain = d.Ports is PortRange { IsSingle: true } && (d.ToPorts is null || d.ToPorts.Value.IsSingle)
                        && d.Destination is null && d.InputInterface is null && d.Sources.Count == 0 && !d.Persistent && !d.Random;
                    string family = v6 ? "6" : "4";
                    int each = Math.Max(1, d.Sources.Count);
                    foreach (string protocol in Protocols(d.Protocol))
                    {
                        if (plain)
                        {
                            int publicPort = d.Ports!.Value.First;
                            int targetPort = d.ToPorts?.First ?? publicPort;
                            string key = $"{protocol} . {Port(publicPort)}";
                            string value = $"{d.ToAddress} . {Port(targetPort)}";
                            pieces.Elements.Add(Element($"dnat{family}_pre", key, value));
                            if (d.IncludeLocal)
                            {
                                pieces.Elements.Add(Element($"dnat{family}_out", key, value));
                            }
                            if (d.Masquerade)
                            {
                                pieces.Elements.Add(Element($"masq{family}", $"{key} . {d.ToAddress} . {Port(targetPort)}", null));
                            }
                        }
                        else
                        {
                            pieces.Count("pre_rules", each);
                            if (d.IncludeLocal)
                            {
                                pieces.Count("out_rules", each);
                            }
                            if (d.Masquerade)
                            {
                                pieces.Count("post_forward", each);
                            }
                        }
                        if (d.Hairpin)
                        {
                            pieces.Count("post_forward", each);
                        }
                    }
                    break;
                }
            case TproxyRule t:
                pieces.Count("tproxy_rules", Protocols(t.Protocol).Length);
                break;
            case SnatRule s:
                pieces.Count("post_rules", Math.Max(1, s.Sources.Count));
                break;
            case MasqueradeRule m:
                pieces.Count("post_rules", Math.Max(1, m.Sources.Count));
                break;
        }
        return pieces;
    }

    private void Count(string chain, int n) => RuleCounts[chain] = RuleCounts.GetValueOrDefault(chain) + n;

    private static string[] Protocols(TransportProtocol protocol) =>
        protocol.ProtocolTypes.Select(p => p == ProtocolType.Tcp ? "tcp" : "udp").ToArray();

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
