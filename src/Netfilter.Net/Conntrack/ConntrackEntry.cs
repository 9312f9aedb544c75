using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// One tracked connection: its two tuples, state, timers, mark, zone, counters, labels,
/// timestamps and NAT translation, as the kernel reported them (or as a caller wants to
/// create them with <see cref="ConntrackClient.CreateAsync(ConntrackEntry, System.Threading.CancellationToken)"/>).
/// </summary>
/// <remarks>
/// Properties the kernel did not send are null (or 0 for <see cref="Mark"/> and <see cref="Zone"/>,
/// which the kernel omits when they are 0). Attributes this version does not model are kept in
/// <see cref="OtherAttributes"/>, never dropped.
/// </remarks>
/// <example>
/// <code>
/// await foreach (ConntrackEntry e in conntrack.DumpAsync())
///     if (e.Translation is { } nat) Console.WriteLine(nat); // 10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22
/// </code>
/// </example>
public sealed record ConntrackEntry
{
    private static readonly IReadOnlyList<ConntrackRawAttribute> s_none = Array.Empty<ConntrackRawAttribute>();
    private readonly ConntrackProtocolInfo? _protocolInfo;

    /// <summary>An entry with <paramref name="original"/> and <paramref name="reply"/> tuples; the reply defaults to <paramref name="original"/> inverted (no NAT).</summary>
    public ConntrackEntry(ConntrackTuple original, ConntrackTuple? reply = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        Original = original;
        Reply = reply ?? original.Invert();
        if (Reply.AddressFamily != Original.AddressFamily || Reply.Protocol != Original.Protocol)
        {
            throw new ArgumentException($"the reply tuple ({Reply}) must have the family and protocol of the original ({Original})", nameof(reply));
        }
    }

    /// <summary>The first packet's direction (CTA_TUPLE_ORIG).</summary>
    public ConntrackTuple Original { get; }

    /// <summary>What the other side sends back (CTA_TUPLE_REPLY); differs from the inverted original when NAT applies.</summary>
    public ConntrackTuple Reply { get; }

    /// <summary>IPv4 or IPv6 (nfgenmsg family).</summary>
    public NetfilterFamily Family => Original.AddressFamily == AddressFamily.InterNetworkV6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4;

    /// <summary>The layer-4 protocol.</summary>
    public ProtocolType Protocol => Original.Protocol;

    /// <summary>Status bits (CTA_STATUS).</summary>
    public ConntrackStatus Status { get; init; }

    /// <summary>Time left before the entry expires (CTA_TIMEOUT, whole seconds).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The connection mark (CTA_MARK).</summary>
    public uint Mark { get; init; }

    /// <summary>The conntrack zone (CTA_ZONE); 0 is the default zone.</summary>
    public ushort Zone { get; init; }

    /// <summary>
    /// The kernel's id of the entry (CTA_ID): a 32-bit hash, not unique across a large table
    /// (two of 100,000 entries share one about as often as not), but with the tuple it lets a
    /// delete hit exactly this entry and not a newer one with the same tuple.
    /// </summary>
    public uint? Id { get; init; }

    /// <summary>The reference count (CTA_USE).</summary>
    public uint? Use { get; init; }

    /// <summary>Original-direction counters (CTA_COUNTERS_ORIG), when accounting is on.</summary>
    public ConntrackCounters? OriginalCounters { get; init; }

    /// <summary>Reply-direction counters (CTA_COUNTERS_REPLY), when accounting is on.</summary>
    public ConntrackCounters? ReplyCounters { get; init; }

    /// <summary>
    /// What conntrack tracks of the layer-4 protocol (CTA_PROTOINFO): a <see cref="TcpConntrackInfo"/>,
    /// <see cref="SctpConntrackInfo"/> or <see cref="DccpConntrackInfo"/>, of the entry's
    /// <see cref="Protocol"/>; null for other protocols, and when the kernel did not send it.
    /// </summary>
    /// <exception cref="ArgumentException">The value is for another protocol than <see cref="Protocol"/>.</exception>
    public ConntrackProtocolInfo? ProtocolInfo
    {
        get => _protocolInfo;
        init
        {
            if (value is not null && value.Protocol != Protocol)
            {
                throw new ArgumentException($"{value.GetType().Name} is {ProtocolNames.Name(value.Protocol)} state; this entry is {ProtocolNames.Name(Protocol)} ({Original})", nameof(ProtocolInfo));
            }
            _protocolInfo = value;
        }
    }

    /// <summary>The helper attached to the connection (CTA_HELP_NAME), e.g. "ftp".</summary>
    public string? HelperName { get; init; }

    /// <summary>The master connection of an expected one (CTA_TUPLE_MASTER).</summary>
    public ConntrackTuple? Master { get; init; }

    /// <summary>The security context (CTA_SECCTX_NAME).</summary>
    public string? SecurityContext { get; init; }

    /// <summary>Connection labels (CTA_LABELS); empty when none are set.</summary>
    public ConntrackLabels Labels { get; init; }

    /// <summary>When the connection started (CTA_TIMESTAMP_START), when timestamps are on (sysctl net.netfilter.nf_conntrack_timestamp).</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>When the connection stopped (CTA_TIMESTAMP_STOP): destroy events only.</summary>
    public DateTimeOffset? Stopped { get; init; }

    /// <summary>When the kernel generated the event carrying this entry (CTA_TIMESTAMP_EVENT, Linux 6.14+).</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>SYN proxy state (CTA_SYNPROXY), for TCP entries.</summary>
    public ConntrackSynproxy? Synproxy { get; init; }

    /// <summary>Attributes this version does not model (CTA_SEQ_ADJ_*, CTA_SECMARK, newer ones), as received.</summary>
    public IReadOnlyList<ConntrackRawAttribute> OtherAttributes { get; init; } = s_none;

    /// <summary>The NAT translation in plain words; null when neither source nor destination was translated.</summary>
    public ConntrackNat? Translation => ConntrackNat.From(Original, Reply);

    /// <summary>A line in the spirit of <c>conntrack -L</c>: protocol, timeout, state, both tuples, flags, mark.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Original);
        sb.Append(" reply ").Append(Reply.ToString().Substring(ProtocolNames.Name(Protocol).Length + 1));
        if (ProtocolInfo is TcpConntrackInfo { State: TcpConntrackState state })
        {
            sb.Append(' ').Append(state);
        }
        if (Timeout is TimeSpan t)
        {
            sb.Append(CultureInfo.InvariantCulture, $" timeout {(long)t.TotalSeconds}");
        }
        sb.Append(" status ").Append(Status);
        if (Mark != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" mark {Mark}");
        }
        if (Zone != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" zone {Zone}");
        }
        if (Translation is ConntrackNat nat)
        {
            sb.Append(" (").Append(nat).Append(')');
        }
        return sb.ToString();
    }
}
