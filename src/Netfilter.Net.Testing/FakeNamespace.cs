using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Routing;
using Netfilter.Net.Sysctl;
using Netfilter.Net.Testing.Internal;

namespace Netfilter.Net.Testing;

/// <summary>
/// One network namespace of a <see cref="FakeNetfilter"/>: its NAT tables, conntrack table,
/// sysctls, host (interfaces, routes, listening sockets), ruleset and faults, and a doctor over
/// them. Everything here is in memory: nothing needs root, nothing touches the machine.
/// </summary>
public sealed class FakeNamespace
{
    private uint _nextPort = 0x1000;

    internal FakeNamespace(FakeNetfilter kernel, string description)
    {
        Kernel = kernel;
        Description = description;
        FaultState = new FakeFaultState();
        Ruleset = new InMemoryRuleset(FaultState);
        Conntrack = new FakeConntrack(FaultState, kernel.Clock, () => ConntrackMax());
        Sysctl = new FakeSysctl(description, FaultState, () => Conntrack.Count);
        Host = new FakeHost(Sysctl);
        NfTables = new FakeNfTables(Ruleset, FaultState);
        Faults = new FakeFaults(FaultState, Conntrack);
        Tables = new FakeNatTableFactory(kernel, this);
        Doctor = new FakeDoctor(kernel, this);
    }

    /// <summary>How errors name the namespace, as <see cref="NetworkNamespace.Description"/> does ("current network namespace" for the caller's own).</summary>
    public string Description { get; }

    /// <summary>Opens NAT tables in this namespace (whatever <see cref="NatTableOptions.Namespace"/> says): the library's own <see cref="NatTable"/>, over this namespace's in-memory ruleset.</summary>
    public INatTableFactory Tables { get; }

    /// <summary>The conntrack table.</summary>
    public FakeConntrack Conntrack { get; }

    /// <summary>The sysctls.</summary>
    public FakeSysctl Sysctl { get; }

    /// <summary>The doctor over this namespace (whatever <see cref="DoctorOptions.Namespace"/> says; it only names the namespace in the findings).</summary>
    public IDoctor Doctor { get; }

    /// <summary>Interfaces, addresses, routes and listening sockets.</summary>
    public FakeHost Host { get; }

    /// <summary>The nftables ruleset, as nft sees it: read it, or change it by hand.</summary>
    public FakeNfTables NfTables { get; }

    /// <summary>Failure injection.</summary>
    public FakeFaults Faults { get; }

    internal FakeNetfilter Kernel { get; }

    internal FakeFaultState FaultState { get; }

    internal InMemoryRuleset Ruleset { get; }

    /// <summary>
    /// Simulates the first packet of a connection and its answer through this namespace, as the
    /// kernel's NAT would treat them, and returns the conntrack entry the kernel would make (now in
    /// <see cref="Conntrack"/>, announced to watches as New); null when the kernel would drop the
    /// connection instead.
    /// </summary>
    /// <remarks>
    /// <para>The rules are the whole typed rules of the namespace's NAT tables (hand-made rules and
    /// other tables are not evaluated). In prerouting (a connection arriving on
    /// <paramref name="inputInterface"/>) or output (a local process, when it is null), the
    /// redirect, forward or tproxy rule that claims the packet translates its destination: a
    /// redirect to the first address of the input interface (loopback for a local process) and its
    /// target port, a forward to its target and target port; a forward without a destination
    /// takes only connections to this host's own addresses, as its <c>fib daddr type local</c> does.
    /// A connection for another host is then forwarded only when forwarding is on (IPv4: the input
    /// interface's <c>net.ipv4.conf.IF.forwarding</c>; IPv6: <c>net.ipv6.conf.all.forwarding</c>), a
    /// route leads to it, and, for a loopback target, route_localnet is on; on the way out the
    /// forward's own masquerade (or hairpin, for a client on the target's network), or else a
    /// masquerade or SNAT rule for the output interface, translates the source to the route's
    /// source address (SNAT: the first address of its range), keeping the port.</para>
    /// <para>The entry: <see cref="ConntrackStatus.Confirmed"/>, both NAT-done bits, the NAT bits of what
    /// was translated, and with <paramref name="replied"/> <see cref="ConntrackStatus.SeenReply"/>
    /// (TCP: also <see cref="ConntrackStatus.Assured"/> and <see cref="TcpConntrackState.Established"/>,
    /// 5 days; else <see cref="TcpConntrackState.SynSent"/>, 120 s; UDP: 30 s).</para>
    /// </remarks>
    /// <param name="original">The connection as the client opens it: TCP or UDP, with both ports.</param>
    /// <param name="inputInterface">The interface the first packet arrives on; null for a connection made by a process of this namespace.</param>
    /// <param name="replied">Whether the other side answered.</param>
    /// <exception cref="ArgumentException">Not TCP or UDP, a port missing, or no such interface.</exception>
    /// <exception cref="InvalidOperationException">The conntrack table already tracks that tuple.</exception>
    public ConntrackEntry? SimulateConnection(ConntrackTuple original, string? inputInterface = null, bool replied = true)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (original.Protocol is not (ProtocolType.Tcp or ProtocolType.Udp) || original.SourcePort is not int sport || original.DestinationPort is not int dport)
        {
            throw new ArgumentException($"a simulated connection is TCP or UDP with both ports, not {original}", nameof(original));
        }
        if (inputInterface is not null && !Host.Interfaces.Contains(inputInterface))
        {
            throw new ArgumentException($"no interface named '{inputInterface}' in {Description}", nameof(inputInterface));
        }
        bool ipv4 = original.AddressFamily == AddressFamily.InterNetwork;
        TransportProtocol protocol = original.Protocol == ProtocolType.Tcp ? TransportProtocol.Tcp : TransportProtocol.Udp;
        List<NatRule> rules = WholeRules();

        // Destination NAT: prerouting or output.
        IPAddress destination = original.Destination;
        int destinationPort = dport;
        NatRule? translating = rules.FirstOrDefault(r => ClaimsDestination(r, original, protocol, inputInterface));
        switch (translating)
        {
            case RedirectRule redirect:
                destinationPort = redirect.ToPort;
                if (inputInterface is null)
                {
                    destination = ipv4 ? IPAddress.Loopback : IPAddress.IPv6Loopback;
                }
                else if (Host.Addresses.FirstOrDefault(a => a.Label == inputInterface && a.Address.AddressFamily == original.AddressFamily)?.Address is IPAddress primary)
                {
                    destination = primary;
                }
                else
                {
                    return null; // nf_nat_redirect: no address on the input interface, the packet is dropped
                }
                break;
            case DnatRule dnat:
                destination = dnat.ToAddress;
                destinationPort = dnat.ToPorts is PortRange { IsSingle: true } single ? single.First : dport;
                break;
        }

        // Routing: delivered here, or forwarded (prerouting) / sent out (output).
        IPAddress source = original.Source;
        RouteLookup? route = Host.Lookup(destination);
        bool local = route is { IsLocal: true } || IPAddress.IsLoopback(destination);
        if (!local)
        {
            if (route is null)
            {
                return null;
            }
            if (inputInterface is not null)
            {
                SysctlKey forwarding = ipv4 ? SysctlKey.IPv4Forwarding(inputInterface) : SysctlKey.IPv6Forwarding(SysctlKey.AllInterfaces);
                if (!Sysctl.TryRead(forwarding, out string on) || on.Trim() == "0")
                {
                    return null;
                }
            }
            // Source NAT: postrouting.
            string? outputInterface = route.OutputInterface;
            bool masquerade = translating is DnatRule { Masquerade: true }
                || (translating is DnatRule { Hairpin: true } hairpin && HostInfo().ConnectedNetwork(hairpin.ToAddress) is IPNetwork network && network.Contains(original.Source));
            NatRule? sourceRule = masquerade ? null : rules.FirstOrDefault(r => ClaimsSource(r, original, outputInterface));
            if (masquerade || sourceRule is MasqueradeRule)
            {
                source = route.PreferredSource ?? source;
            }
            else if (sourceRule is SnatRule snat)
            {
                source = snat.ToAddress;
            }
        }
        else if (inputInterface is not null && ipv4 && DoctorFactsReader.IsIPv4Loopback(destination) && !RouteLocalnetOn(inputInterface))
        {
            return null; // a martian: from the outside to 127.0.0.0/8 without route_localnet
        }

        var reply = new ConntrackTuple(destination, source, original.Protocol) { SourcePort = destinationPort, DestinationPort = sport };
        ConntrackStatus status = ConntrackStatus.Confirmed | ConntrackStatus.SourceNatDone | ConntrackStatus.DestinationNatDone;
        if (!destination.Equals(original.Destination) || destinationPort != dport)
        {
            status |= ConntrackStatus.DestinationNat;
        }
        if (!source.Equals(original.Source))
        {
            status |= ConntrackStatus.SourceNat;
        }
        TimeSpan timeout;
        TcpConntrackState? state = null;
        if (original.Protocol == ProtocolType.Tcp)
        {
            state = replied ? TcpConntrackState.Established : TcpConntrackState.SynSent;
            timeout = replied ? TimeSpan.FromDays(5) : TimeSpan.FromSeconds(120);
            status |= replied ? ConntrackStatus.SeenReply | ConntrackStatus.Assured : 0;
        }
        else
        {
            timeout = TimeSpan.FromSeconds(30);
            status |= replied ? ConntrackStatus.SeenReply : 0;
        }
        return Conntrack.Confirm(new ConntrackEntry(original, reply) { Status = status, ProtocolInfo = state is null ? null : new TcpConntrackInfo { State = state } }, timeout);
    }

    /// <summary>What a NAT table reads about the host: addresses, forwarding and route_localnet.</summary>
    internal NatHostInfo HostInfo()
    {
        ForwardingStatus forwarding = Sysctl.GetForwardingStatus();
        bool localnet = Sysctl.TryRead(SysctlKey.RouteLocalnet(SysctlKey.AllInterfaces), out string value) && value.Trim() == "1";
        return new NatHostInfo(Host.Addresses.ToList(), forwarding, localnet);
    }

    /// <summary>A new "netlink socket" of this namespace, for a NAT table (owned tables belong to it).</summary>
    internal uint NextPort() => Interlocked.Increment(ref _nextPort);

    private uint ConntrackMax() =>
        Sysctl.TryRead(SysctlKey.ConntrackMax, out string max) && uint.TryParse(max.Trim(), out uint value) ? value : 0;

    private bool RouteLocalnetOn(string inputInterface) =>
        (Sysctl.TryRead(SysctlKey.RouteLocalnet(SysctlKey.AllInterfaces), out string all) && all.Trim() != "0")
        || (Sysctl.TryRead(SysctlKey.RouteLocalnet(inputInterface), out string one) && one.Trim() != "0");

    /// <summary>The whole typed rules of every NAT table of the namespace.</summary>
    private List<NatRule> WholeRules()
    {
        Ruleset ruleset = Ruleset.Snapshot(NetfilterFamily.Inet, null, withElements: true, ruleChains: null);
        var rules = new List<NatRule>();
        foreach (Table table in ruleset.Tables)
        {
            rules.AddRange(DoctorFactsReader.ReadTable(ruleset, table.Name).Rules);
        }
        return rules;
    }

    private bool ClaimsDestination(NatRule rule, ConntrackTuple packet, TransportProtocol protocol, string? inputInterface)
    {
        (TransportProtocol ruleProtocol, PortRange ports, IPAddress? destination, string? iif, IReadOnlyList<IPNetwork> sources, bool output) = rule switch
        {
            RedirectRule r => (r.Protocol, r.Ports, r.Destination, r.InputInterface, r.Sources, r.IncludeLocal),
            DnatRule d => (d.Protocol, d.Ports ?? new PortRange(1, 65535), d.Destination, d.InputInterface, d.Sources, d.IncludeLocal),
            TproxyRule t => (t.Protocol, t.Ports, (IPAddress?)null, (string?)null, (IReadOnlyList<IPNetwork>)Array.Empty<IPNetwork>(), false),
            _ => (default(TransportProtocol), default(PortRange), null, null, Array.Empty<IPNetwork>(), false),
        };
        if (ruleProtocol.Intersect(protocol) is null || packet.DestinationPort < ports.First || packet.DestinationPort > ports.Last)
        {
            return false;
        }
        if ((rule.Identity.Families & NatRule.FamilyOf(packet.Source)) == 0)
        {
            return false;
        }
        if (inputInterface is null ? !output : iif is not null && iif != inputInterface)
        {
            return false;
        }
        if (destination is not null ? !destination.Equals(packet.Destination) : rule is DnatRule && Host.Lookup(packet.Destination) is not { IsLocal: true })
        {
            return false;
        }
        return sources.Count == 0 || sources.Any(s => s.Contains(packet.Source));
    }

    private static bool ClaimsSource(NatRule rule, ConntrackTuple packet, string? outputInterface)
    {
        (string? oif, IReadOnlyList<IPNetwork> sources) = rule switch
        {
            MasqueradeRule m => (m.OutputInterface, m.Sources),
            SnatRule s => (s.OutputInterface, s.Sources),
            _ => ("\0", Array.Empty<IPNetwork>()),
        };
        if (oif == "\0" || (oif is not null && oif != outputInterface) || (rule.Identity.Families & NatRule.FamilyOf(packet.Source)) == 0)
        {
            return false;
        }
        return sources.Count == 0 || sources.Any(s => s.Contains(packet.Source));
    }
}
