namespace Netfilter.Net.Diagnostics;

/// <summary>
/// The packets the doctor follows through the hooks: the first packet of a new connection of
/// one IP version and transport protocol to a destination port range, optionally arriving on or
/// leaving through a known interface. <see cref="Identity"/> is the canonical text of the typed
/// rule being checked: reaching a rule or element with that comment in our table means the
/// packet got to it.
/// </summary>
internal sealed record Probe(IpFamilies Family, byte Protocol, int FirstPort, int LastPort)
{
    public string? InputInterface { get; init; }

    public string? OutputInterface { get; init; }

    public string? Identity { get; init; }

    /// <summary>The ct status bits the doctor knows for this packet (<see cref="CtStatusKnown"/> says which).</summary>
    public uint CtStatus { get; init; }

    /// <summary>
    /// Which ct status bits are known: by default IPS_SRC_NAT and IPS_DST_NAT (0x10 | 0x20), both
    /// clear for a new connection before NAT; after a destination NAT the probe sets IPS_DST_NAT.
    /// </summary>
    public uint CtStatusKnown { get; init; } = StatusNatBits;

    /// <summary>IPS_SRC_NAT | IPS_DST_NAT (uapi nf_conntrack_common.h).</summary>
    public const uint StatusNatBits = 0x10 | 0x20;

    /// <summary>IPS_DST_NAT: the connection's destination was translated.</summary>
    public const uint StatusDestinationNat = 0x20;

    public override string ToString() =>
        $"{(Family == IpFamilies.IPv4 ? "IPv4" : "IPv6")} {PacketMatch.ProtocolName(Protocol)} port {(FirstPort == LastPort ? FirstPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{FirstPort}-{LastPort}")}";
}
