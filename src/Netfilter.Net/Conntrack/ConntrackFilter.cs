using System;
using System.Net;
using System.Net.Sockets;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// Which entries a dump, delete or watch concerns. Every property left null matches anything;
/// the set ones must all match. The client asks the kernel to filter where the running kernel
/// can (family, mark/mask, status/mask, zone, tuple fields: ctnetlink_alloc_filter), and always
/// applies <see cref="Matches"/> to what comes back, so the result is the same on every kernel.
/// </summary>
/// <example>
/// <code>
/// var toServer = new ConntrackFilter { Protocol = ProtocolType.Tcp, OriginalDestination = IPAddress.Parse("10.0.1.1"), OriginalDestinationPort = 2222 };
/// await foreach (var e in conntrack.DumpAsync(toServer)) Console.WriteLine(e.Translation);
/// </code>
/// </example>
public sealed record ConntrackFilter
{
    /// <summary>IPv4 or IPv6 entries only; <see cref="NetfilterFamily.Unspecified"/> (the default) means both.</summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>The layer-4 protocol.</summary>
    public ProtocolType? Protocol { get; init; }

    /// <summary>Source address of the original direction (the client).</summary>
    public IPAddress? OriginalSource { get; init; }

    /// <summary>Destination address of the original direction (where the client was going).</summary>
    public IPAddress? OriginalDestination { get; init; }

    /// <summary>Source port of the original direction, 0–65535.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 0–65535.</exception>
    public int? OriginalSourcePort { get => _originalSourcePort; init => _originalSourcePort = PortNumber.ValidateField(value, nameof(OriginalSourcePort)); }

    private readonly int? _originalSourcePort;

    /// <summary>Destination port of the original direction, 0–65535.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 0–65535.</exception>
    public int? OriginalDestinationPort { get => _originalDestinationPort; init => _originalDestinationPort = PortNumber.ValidateField(value, nameof(OriginalDestinationPort)); }

    private readonly int? _originalDestinationPort;

    /// <summary>Source address of the reply direction (after DNAT: the real server).</summary>
    public IPAddress? ReplySource { get; init; }

    /// <summary>Destination address of the reply direction (after SNAT: the translated source).</summary>
    public IPAddress? ReplyDestination { get; init; }

    /// <summary>Source port of the reply direction, 0–65535.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 0–65535.</exception>
    public int? ReplySourcePort { get => _replySourcePort; init => _replySourcePort = PortNumber.ValidateField(value, nameof(ReplySourcePort)); }

    private readonly int? _replySourcePort;

    /// <summary>Destination port of the reply direction, 0–65535.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 0–65535.</exception>
    public int? ReplyDestinationPort { get => _replyDestinationPort; init => _replyDestinationPort = PortNumber.ValidateField(value, nameof(ReplyDestinationPort)); }

    private readonly int? _replyDestinationPort;

    /// <summary>Entries whose <c>mark &amp; MarkMask</c> equals this (CTA_MARK).</summary>
    public uint? Mark { get; init; }

    /// <summary>The bits of the mark compared (CTA_MARK_MASK); all by default.</summary>
    public uint MarkMask { get; init; } = uint.MaxValue;

    /// <summary>Entries whose <c>status &amp; StatusMask</c> equals this (CTA_STATUS).</summary>
    public ConntrackStatus? Status { get; init; }

    /// <summary>The status bits compared (CTA_STATUS_MASK); by default the bits of <see cref="Status"/>, i.e. "all of these set".</summary>
    public ConntrackStatus? StatusMask { get; init; }

    /// <summary>Entries of this conntrack zone (CTA_ZONE).</summary>
    public ushort? Zone { get; init; }

    /// <summary>True when nothing is filtered.</summary>
    public bool IsEmpty => this == new ConntrackFilter();

    internal ConntrackStatus EffectiveStatusMask => StatusMask ?? Status ?? ConntrackStatus.None;

    /// <summary>The family the filter implies: its own, or that of the addresses it names.</summary>
    internal NetfilterFamily EffectiveFamily
    {
        get
        {
            if (Family != NetfilterFamily.Unspecified)
            {
                return Family;
            }
            IPAddress? any = OriginalSource ?? OriginalDestination ?? ReplySource ?? ReplyDestination;
            return any is null ? NetfilterFamily.Unspecified
                : any.AddressFamily == AddressFamily.InterNetworkV6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4;
        }
    }

    /// <summary>True when <paramref name="entry"/> passes every condition of this filter (the client-side half of filtering).</summary>
    public bool Matches(ConntrackEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        NetfilterFamily family = EffectiveFamily;
        if (family != NetfilterFamily.Unspecified && entry.Family != family)
        {
            return false;
        }
        if (Protocol is ProtocolType protocol && entry.Protocol != protocol)
        {
            return false;
        }
        if (!Same(OriginalSource, entry.Original.Source) || !Same(OriginalDestination, entry.Original.Destination)
            || !Same(ReplySource, entry.Reply.Source) || !Same(ReplyDestination, entry.Reply.Destination))
        {
            return false;
        }
        if (!Same(OriginalSourcePort, entry.Original.SourcePort) || !Same(OriginalDestinationPort, entry.Original.DestinationPort)
            || !Same(ReplySourcePort, entry.Reply.SourcePort) || !Same(ReplyDestinationPort, entry.Reply.DestinationPort))
        {
            return false;
        }
        if (Mark is uint mark && (entry.Mark & MarkMask) != mark)
        {
            return false;
        }
        if (Status is ConntrackStatus status && (entry.Status & EffectiveStatusMask) != status)
        {
            return false;
        }
        if (Zone is ushort zone && entry.Zone != zone)
        {
            return false;
        }
        return true;
    }

    /// <summary>Refuses a filter that could never match or that the kernel would reject, naming <paramref name="parameterName"/>.</summary>
    internal void Validate(string parameterName)
    {
        if (Family is not (NetfilterFamily.Unspecified or NetfilterFamily.IPv4 or NetfilterFamily.IPv6))
        {
            throw new ArgumentException($"{nameof(Family)} must be Unspecified, IPv4 or IPv6 for conntrack, not {Family}", parameterName);
        }
        if (Protocol is ProtocolType p && (int)p is < 0 or > 255)
        {
            throw new ArgumentException($"{nameof(Protocol)} {p} is not an IP protocol number (0..255)", parameterName);
        }
        CheckFamily(OriginalSource, nameof(OriginalSource), parameterName);
        CheckFamily(OriginalDestination, nameof(OriginalDestination), parameterName);
        CheckFamily(ReplySource, nameof(ReplySource), parameterName);
        CheckFamily(ReplyDestination, nameof(ReplyDestination), parameterName);
        if (Mark is uint mark && (mark & ~MarkMask) != 0)
        {
            throw new ArgumentException($"{nameof(Mark)} 0x{mark:x} has bits outside {nameof(MarkMask)} 0x{MarkMask:x}: no entry could match (the kernel compares mark & mask with the value)", parameterName);
        }
        if (StatusMask is not null && Status is null)
        {
            throw new ArgumentException($"{nameof(StatusMask)} needs {nameof(Status)} (the kernel refuses CTA_STATUS_MASK alone)", parameterName);
        }
        if (Status is ConntrackStatus status)
        {
            ConntrackStatus mask = EffectiveStatusMask;
            if (mask == ConntrackStatus.None)
            {
                throw new ArgumentException($"{nameof(StatusMask)} is empty: give the bits to compare, or set {nameof(Status)} to the bits that must be set", parameterName);
            }
            if ((status & ~mask) != 0)
            {
                throw new ArgumentException($"{nameof(Status)} {status} has bits outside {nameof(StatusMask)} {mask}: no entry could match", parameterName);
            }
        }
    }

    private void CheckFamily(IPAddress? address, string property, string parameterName)
    {
        if (address is null)
        {
            return;
        }
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{property} {address} is not an IPv4 or IPv6 address", parameterName);
        }
        NetfilterFamily wanted = EffectiveFamily;
        NetfilterFamily actual = address.AddressFamily == AddressFamily.InterNetworkV6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4;
        if (wanted != actual)
        {
            throw new ArgumentException($"{property} {address} is {actual} but the filter is for {wanted}: no entry could match", parameterName);
        }
    }

    private static bool Same(IPAddress? wanted, IPAddress actual) => wanted is null || wanted.Equals(actual);

    private static bool Same(int? wanted, int? actual) => wanted is null || wanted == actual;
}
