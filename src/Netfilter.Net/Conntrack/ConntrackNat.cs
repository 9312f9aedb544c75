using System.Net;
using System.Text;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// The address translation of a connection, in plain words: where the client was going
/// (<see cref="OriginalDestination"/>), where it was actually sent (<see cref="TranslatedDestination"/>),
/// and which source the server saw (<see cref="TranslatedSource"/>). Derived from the two tuples:
/// the reply tuple is what the other side sends back, so its source is the real destination
/// and its destination is the source the other side saw.
/// </summary>
/// <example><c>10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40000</c></example>
public sealed record ConntrackNat
{
    internal ConntrackNat(ConntrackTuple original, ConntrackTuple reply)
    {
        HasPorts = original.HasPorts;
        OriginalSource = original.SourceEndPoint;
        OriginalDestination = original.DestinationEndPoint;
        TranslatedDestination = reply.SourceEndPoint;
        TranslatedSource = reply.DestinationEndPoint;
    }

    /// <summary>The client's address and port, as it sent the first packet.</summary>
    public IPEndPoint OriginalSource { get; }

    /// <summary>Where the client was going (the address and port it connected to).</summary>
    public IPEndPoint OriginalDestination { get; }

    /// <summary>Where the connection was sent: the DNAT/redirect target. Equal to <see cref="OriginalDestination"/> without destination NAT.</summary>
    public IPEndPoint TranslatedDestination { get; }

    /// <summary>The source the destination saw: the SNAT/masquerade address. Equal to <see cref="OriginalSource"/> without source NAT.</summary>
    public IPEndPoint TranslatedSource { get; }

    /// <summary>The destination was translated (DNAT, redirect).</summary>
    public bool IsDestinationTranslated => !OriginalDestination.Equals(TranslatedDestination);

    /// <summary>The source was translated (SNAT, masquerade).</summary>
    public bool IsSourceTranslated => !OriginalSource.Equals(TranslatedSource);

    /// <summary>Ports are part of the endpoints (TCP, UDP, SCTP, ...); otherwise they are 0 and not printed.</summary>
    public bool HasPorts { get; }

    /// <summary>Computes the translation of an entry; null when neither side was translated.</summary>
    internal static ConntrackNat? From(ConntrackTuple original, ConntrackTuple reply)
    {
        var nat = new ConntrackNat(original, reply);
        return nat.IsDestinationTranslated || nat.IsSourceTranslated ? nat : null;
    }

    /// <summary>"10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22", with " from 10.0.2.1:40000" when the source was translated too.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Append(sb, OriginalSource);
        sb.Append(" -> ");
        Append(sb, OriginalDestination);
        if (IsDestinationTranslated)
        {
            sb.Append(" was sent to ");
            Append(sb, TranslatedDestination);
        }
        if (IsSourceTranslated)
        {
            sb.Append(IsDestinationTranslated ? " from " : " was sent from ");
            Append(sb, TranslatedSource);
        }
        return sb.ToString();
    }

    private void Append(StringBuilder sb, IPEndPoint endpoint) =>
        ConntrackTuple.AppendEndpoint(sb, endpoint.Address, HasPorts ? (ushort)endpoint.Port : null);
}
