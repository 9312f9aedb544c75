using System.Globalization;
using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>Where a probe connection starts: the client (arrives on the router's lan), the router itself (the output hook), or a host beside the server (arrives on wan, S7).</summary>
internal enum ProbeFrom
{
    Client,
    Router,
    Beside,
}

/// <summary>One real connection: from where, which family and protocol, to which address and port.</summary>
internal sealed record Probe(ProbeFrom From, bool V6, bool Udp, IPAddress Destination, int Port)
{
    /// <summary>The address the connection leaves from (for the router: the one Linux picks for that destination).</summary>
    public IPAddress Source => From switch
    {
        ProbeFrom.Client => V6 ? ModelNetwork.ClientV6 : ModelNetwork.ClientV4,
        ProbeFrom.Beside => V6 ? ModelNetwork.BesideV6 : ModelNetwork.BesideV4,
        _ => ModelNetwork.RouterSourceFor(Destination),
    };

    /// <summary>The router interface the first packet arrives on; null for the router's own connections.</summary>
    public string? InputInterface => From switch
    {
        ProbeFrom.Client => "lan",
        ProbeFrom.Beside => "wan",
        _ => null,
    };

    public override string ToString() =>
        $"{(Udp ? "udp" : "tcp")} from {From.ToString().ToLowerInvariant()} {Source} to {(V6 ? $"[{Destination}]" : Destination.ToString())}:{Port.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// What a probe must see: who answers (null: nobody, in time), the local endpoint the answering
/// socket reports (or only its port, for a redirect), the source address it sees, and whether the
/// server needs a route back to that source for its replies to return.
/// </summary>
internal sealed record Prediction(string? Answerer, IPEndPoint? Local, int? LocalPort, IReadOnlyList<IPAddress>? Remote, bool NeedsRouteBack, string Why)
{
    /// <summary>When set, the answer may come from any port of this range at <see cref="Local"/>'s address (a forward with the random flag picks the port).</summary>
    public (int First, int Last)? AnyPortOf { get; init; }

    public static Prediction Nobody(string why) => new(null, null, null, null, false, why);
}

/// <summary>
/// The packet path of the model's rules, from how netfilter evaluates them (not from the library):
/// the tproxy chain (filter prerouting, priority mangle) sees the packet first, then the nat
/// prerouting (or output) chain, whose rules translate the first packet of a connection; a plain
/// forward matches only destinations that are local (<c>fib daddr type local</c>, DnatRule's
/// docs); on the way out, a forward's own masquerade, then its hairpin masquerade, then the snat and
/// masquerade rules, the first that matches wins. A packet that two of the model's rules would
/// both translate is a contradiction of the conflict rules and fails the run.
/// </summary>
internal static class ModelPackets
{
    public static Prediction Predict(ModelTable model, Probe probe)
    {
        IPAddress source = probe.Source;
        bool output = probe.From == ProbeFrom.Router;
        var matches = new List<ModelRule>();
        foreach (ModelRule rule in model.Rules.Where(r => r.PicksDestination))
        {
            if (Matches(rule, probe, source, output))
            {
                matches.Add(rule);
            }
        }
        if (matches.Count > 1)
        {
            throw new ModelMismatchException($"model contradiction: {probe} is claimed by both '{matches[0]}' and '{matches[1]}', which the conflict rules let share a table");
        }
        ModelRule? taken = matches.SingleOrDefault();
        switch (taken?.Kind)
        {
            case NatRuleKind.Tproxy:
                return new Prediction("tproxy", new IPEndPoint(probe.Destination, probe.Port), null, new[] { source }, false, $"tproxy by '{taken}'");
            case NatRuleKind.Redirect:
                return new Prediction("redirect", null, ((RedirectRule)taken.Rule).ToPort, null, false, $"redirected by '{taken}'");
            case NatRuleKind.Dnat:
                {
                    var dnat = (DnatRule)taken.Rule;
                    int port = dnat.ToPorts is PortRange to ? (to.IsSingle || probe.Port < to.First || probe.Port > to.Last ? to.First : probe.Port) : probe.Port;
                    Prediction forwarded = ToServer(model, probe, source, dnat.ToAddress, port, taken, $"forwarded by '{taken}'");
                    // A translation to the very address and port the client called changes nothing, and
                    // the kernel does not mark it as DNAT (nf_nat_setup_info sets IPS_DST_NAT only
                    // when the tuple changes): the forward's own masquerade and hairpin rules, which
                    // match "ct status dnat", do not apply, and the connection leaves as if untranslated.
                    bool random = dnat.Random && dnat.ToPorts is PortRange { IsSingle: false };
                    bool identityPossible = dnat.ToAddress.Equals(probe.Destination)
                        && (port == probe.Port || (random && dnat.ToPorts is PortRange r && probe.Port >= r.First && probe.Port <= r.Last));
                    if (identityPossible && !random)
                    {
                        return ToServer(model, probe, source, dnat.ToAddress, port, null, $"forwarded by '{taken}' to where it was going (no DNAT for the kernel)");
                    }
                    // nat flag random (NF_NAT_RANGE_PROTO_RANDOM): the kernel picks the target port at random within the range, not the one that maps.
                    if (random && dnat.ToPorts is PortRange spread && forwarded.Answerer is not null)
                    {
                        forwarded = forwarded with { AnyPortOf = (spread.First, spread.Last), Why = forwarded.Why + $" (random: any port of {spread.First}-{spread.Last})" };
                        if (identityPossible && ToServer(model, probe, source, probe.Destination, probe.Port, null, "untranslated") is { Remote: { } plain } untranslated)
                        {
                            // The random port may be the one called: then no DNAT for the kernel, as above.
                            forwarded = forwarded with
                            {
                                Remote = forwarded.Remote is null ? plain : forwarded.Remote.Union(plain).ToArray(),
                                NeedsRouteBack = forwarded.NeedsRouteBack || untranslated.NeedsRouteBack,
                                Why = forwarded.Why + $"; or, when it picks {probe.Port}, no DNAT for the kernel and {untranslated.Why}",
                            };
                        }
                    }
                    return forwarded;
                }
        }
        if (ModelNetwork.IsRouterAddress(probe.Destination))
        {
            return Prediction.Nobody("nothing translates it and nothing listens on the router's port");
        }
        return ToServer(model, probe, source, probe.Destination, probe.Port, null, "passes through untranslated");
    }

    /// <summary>The connection leaves through wan toward the server: who does its source translation, and what the server sees.</summary>
    private static Prediction ToServer(ModelTable model, Probe probe, IPAddress source, IPAddress target, int port, ModelRule? forward, string why)
    {
        if (!ModelNetwork.ServerListens(probe.Udp, target, port))
        {
            return Prediction.Nobody($"{why} to {target}:{port}, where nothing listens");
        }
        IReadOnlyList<IPAddress> seen;
        string how;
        var dnat = forward?.Rule as DnatRule;
        if (dnat is { Masquerade: true })
        {
            seen = new[] { ModelNetwork.WanAddress(probe.V6) };
            how = "its own masquerade";
        }
        else if (dnat is { Hairpin: true } && ModelConflicts.Contains(ModelNetwork.ServerNetwork(probe.V6), source))
        {
            seen = new[] { ModelNetwork.WanAddress(probe.V6) };
            how = "its hairpin masquerade";
        }
        else
        {
            var snat = model.Rules.Where(r => !r.PicksDestination && MatchesSource(r, probe.V6, source, "wan")).ToList();
            if (snat.Count > 1)
            {
                throw new ModelMismatchException($"model contradiction: {probe} leaving through wan is claimed by both '{snat[0]}' and '{snat[1]}', which the conflict rules let share a table");
            }
            switch (snat.SingleOrDefault()?.Rule)
            {
                case SnatRule s:
                    seen = s.ToAddressLast is null ? new[] { s.ToAddress } : Range(s.ToAddress, s.ToAddressLast);
                    how = $"snat by '{s}'";
                    break;
                case MasqueradeRule m:
                    seen = new[] { ModelNetwork.WanAddress(probe.V6) };
                    how = $"masquerade by '{m}'";
                    break;
                default:
                    seen = new[] { source };
                    how = "no source translation";
                    break;
            }
        }
        if (seen.Count == 1 && seen[0].Equals(source) && probe.From == ProbeFrom.Beside)
        {
            // The server answers a host on its own network directly, from an address the client did not call.
            return Prediction.Nobody($"{why} to {target}:{port} with {how}: the server answers the host beside it directly");
        }
        bool routeBack = seen.Any(a => ModelConflicts.Contains(ModelNetwork.ClientNetwork(probe.V6), a));
        return new Prediction("server", new IPEndPoint(target, port), null, seen, routeBack, $"{why} to {target}:{port}, {how}");
    }

    private static bool Matches(ModelRule rule, Probe probe, IPAddress source, bool output)
    {
        if (!(probe.V6 ? rule.V6 : rule.V4) || !(probe.Udp ? rule.Udp : rule.Tcp) || probe.Port < rule.FirstPort || probe.Port > rule.LastPort)
        {
            return false;
        }
        if (rule.Sources.Count > 0 && !rule.Sources.Any(s => ModelConflicts.Contains(s, source)))
        {
            return false;
        }
        switch (rule.Kind)
        {
            case NatRuleKind.Tproxy:
                // Prerouting only; and nft's tproxy does not match when no transparent socket takes the
                // packet (NFT_BREAK): the network has transparent TCP listeners only.
                return !output && !probe.Udp;
            case NatRuleKind.Redirect:
            case NatRuleKind.Dnat:
                if (output ? !rule.Output : rule.InputInterface is not null && rule.InputInterface != probe.InputInterface)
                {
                    return false;
                }
                if (rule.Destination is not null)
                {
                    return rule.Destination.Equals(probe.Destination);
                }
                // A redirect without a destination takes any; a forward without one only this host's addresses.
                return rule.Kind == NatRuleKind.Redirect || ModelNetwork.IsRouterAddress(probe.Destination);
            default:
                return false;
        }
    }

    private static bool MatchesSource(ModelRule rule, bool v6, IPAddress source, string outputInterface) =>
        (v6 ? rule.V6 : rule.V4)
        && (rule.OutputInterface is null || rule.OutputInterface == outputInterface)
        && (rule.Sources.Count == 0 || rule.Sources.Any(s => ModelConflicts.Contains(s, source)));

    private static IPAddress[] Range(IPAddress first, IPAddress last)
    {
        var list = new List<IPAddress>();
        byte[] a = first.GetAddressBytes();
        for (int i = 0; i < 256; i++)
        {
            var address = new IPAddress(a);
            list.Add(address);
            if (address.Equals(last))
            {
                break;
            }
            for (int b = a.Length - 1; b >= 0 && ++a[b] == 0; b--)
            {
            }
        }
        return list.ToArray();
    }
}
