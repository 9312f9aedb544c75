using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// The part of a <see cref="ConntrackFilter"/> that is sent to the kernel with a dump or a
/// flush (ctnetlink_alloc_filter): nfgenmsg family, CTA_MARK/CTA_MARK_MASK,
/// CTA_STATUS/CTA_STATUS_MASK, CTA_ZONE and CTA_FILTER with the tuple fields. What the kernel
/// cannot be trusted with is left out and runs client-side; <see cref="IsComplete"/> says
/// whether anything was left out (a flush may only go to the kernel when nothing was).
/// </summary>
internal readonly struct ConntrackKernelFilter
{
    private readonly ConntrackFilter? _filter;
    private readonly bool _mark;
    private readonly bool _status;
    private readonly bool _zone;
    private readonly uint _originalFlags;
    private readonly uint _replyFlags;

    private ConntrackKernelFilter(ConntrackFilter? filter, NetfilterFamily family, bool mark, bool status, bool zone, uint originalFlags, uint replyFlags, bool complete)
    {
        _filter = filter;
        Family = family;
        _mark = mark;
        _status = status;
        _zone = zone;
        _originalFlags = originalFlags;
        _replyFlags = replyFlags;
        IsComplete = complete;
    }

    /// <summary>The nfgenmsg family: the dump/flush covers only this family (0 = all).</summary>
    public NetfilterFamily Family { get; }

    /// <summary>True when the kernel applies every condition of the filter.</summary>
    public bool IsComplete { get; }

    /// <summary>True when any filter attribute (beyond the family) is sent.</summary>
    public bool SendsFilter => _mark || _status || _zone || HasTupleFilter;

    /// <summary>True when a CTA_FILTER attribute is sent.</summary>
    public bool HasTupleFilter => (_originalFlags | _replyFlags) != 0;

    /// <summary>Plans what of <paramref name="filter"/> the kernel applies, given its <paramref name="features"/>.</summary>
    /// <param name="filter">The caller's filter (validated).</param>
    /// <param name="features">What the kernel supports.</param>
    /// <param name="forFlush">True for a flush: tuple filters then need CTA_FILTER flush support.</param>
    public static ConntrackKernelFilter Plan(ConntrackFilter? filter, ConntrackKernelFeatures features, bool forFlush)
    {
        if (filter is null)
        {
            return new ConntrackKernelFilter(null, NetfilterFamily.Unspecified, false, false, false, 0, 0, true);
        }
        bool complete = true;
        NetfilterFamily family = filter.EffectiveFamily;
        if (forFlush && family != NetfilterFamily.Unspecified && !features.FamilyFlush)
        {
            complete = false;
        }
        bool mark = filter.Mark is not null && features.MarkFilter;
        complete &= filter.Mark is null || mark;
        bool status = filter.Status is not null && features.StatusFilter;
        complete &= filter.Status is null || status;
        // Zone 0 is the kernel's "no zone filter" (NF_CT_DEFAULT_ZONE_ID): it runs client-side.
        bool zone = filter.Zone is ushort z && z != 0 && features.ZoneFilter;
        complete &= filter.Zone is null || zone;

        uint originalFlags = 0, replyFlags = 0;
        bool tupleAllowed = forFlush ? features.TupleFlushFilter : features.TupleDumpFilter;
        // CTA_FILTER needs an IPv4 or IPv6 family (ctnetlink_parse_tuple_filter: EOPNOTSUPP otherwise).
        if (tupleAllowed && family != NetfilterFamily.Unspecified)
        {
            originalFlags = TupleFlags(filter, filter.OriginalSource, filter.OriginalDestination, filter.OriginalSourcePort, filter.OriginalDestinationPort, ref complete);
            replyFlags = TupleFlags(filter, filter.ReplySource, filter.ReplyDestination, filter.ReplySourcePort, filter.ReplyDestinationPort, ref complete);
            if (filter.Protocol is not null && (originalFlags | replyFlags) == 0)
            {
                originalFlags = CtaFilterFlags.ProtoNumber;
            }
        }
        else
        {
            complete &= filter.Protocol is null && filter.OriginalSource is null && filter.OriginalDestination is null
                && filter.OriginalSourcePort is null && filter.OriginalDestinationPort is null && filter.ReplySource is null
                && filter.ReplyDestination is null && filter.ReplySourcePort is null && filter.ReplyDestinationPort is null;
        }
        return new ConntrackKernelFilter(filter, family, mark, status, zone, originalFlags, replyFlags, complete);
    }

    private static uint TupleFlags(ConntrackFilter filter, IPAddress? source, IPAddress? destination, int? sourcePort, int? destinationPort, ref bool complete)
    {
        uint flags = 0;
        // IPv6 address filters are left to the client: ctnetlink_filter_match_tuple tests
        // "!ipv6_addr_cmp(filter, ct)", which rejects exactly the entries whose address is equal.
        if (source is not null)
        {
            if (source.AddressFamily == AddressFamily.InterNetwork)
            {
                flags |= CtaFilterFlags.IpSource;
            }
            else
            {
                complete = false;
            }
        }
        if (destination is not null)
        {
            if (destination.AddressFamily == AddressFamily.InterNetwork)
            {
                flags |= CtaFilterFlags.IpDestination;
            }
            else
            {
                complete = false;
            }
        }
        if (sourcePort is not null || destinationPort is not null)
        {
            // Port flags need CTA_PROTO_NUM, and only TCP and UDP compare ports kernel-side.
            if (filter.Protocol is ProtocolType.Tcp or ProtocolType.Udp)
            {
                flags |= (sourcePort is not null ? CtaFilterFlags.SourcePort : 0) | (destinationPort is not null ? CtaFilterFlags.DestinationPort : 0);
            }
            else
            {
                complete = false;
            }
        }
        if (flags != 0 && filter.Protocol is not null)
        {
            flags |= CtaFilterFlags.ProtoNumber;
        }
        return flags;
    }

    /// <summary>Writes the filter attributes into the open message.</summary>
    public void Write(NetlinkWriter writer)
    {
        if (_filter is null)
        {
            return;
        }
        if (_mark)
        {
            writer.WriteUInt32BigEndian(CtaAttribute.Mark, _filter.Mark!.Value);
            writer.WriteUInt32BigEndian(CtaAttribute.MarkMask, _filter.MarkMask);
        }
        if (_status)
        {
            writer.WriteUInt32BigEndian(CtaAttribute.Status, (uint)_filter.Status!.Value);
            writer.WriteUInt32BigEndian(CtaAttribute.StatusMask, (uint)_filter.EffectiveStatusMask);
        }
        if (_zone)
        {
            writer.WriteUInt16BigEndian(CtaAttribute.Zone, _filter.Zone!.Value);
        }
        if (_originalFlags != 0)
        {
            WriteTuple(writer, CtaAttribute.TupleOriginal, _filter.OriginalSource, _filter.OriginalDestination, _filter.OriginalSourcePort, _filter.OriginalDestinationPort, _originalFlags);
        }
        if (_replyFlags != 0)
        {
            WriteTuple(writer, CtaAttribute.TupleReply, _filter.ReplySource, _filter.ReplyDestination, _filter.ReplySourcePort, _filter.ReplyDestinationPort, _replyFlags);
        }
        if (HasTupleFilter)
        {
            using NetlinkNest nest = writer.BeginNested(CtaAttribute.Filter);
            // nla_get_u32: host order, unlike every other CTA_* integer.
            writer.WriteUInt32Host(CtaFilterAttribute.OriginalFlags, _originalFlags);
            writer.WriteUInt32Host(CtaFilterAttribute.ReplyFlags, _replyFlags);
        }
    }

    private void WriteTuple(NetlinkWriter writer, ushort type, IPAddress? source, IPAddress? destination, int? sourcePort, int? destinationPort, uint flags)
    {
        using NetlinkNest nest = writer.BeginNested(type);
        if ((flags & (CtaFilterFlags.IpSource | CtaFilterFlags.IpDestination)) != 0)
        {
            TupleCodec.EncodeIp(writer, source, destination, (flags & CtaFilterFlags.IpSource) != 0, (flags & CtaFilterFlags.IpDestination) != 0);
        }
        if ((flags & CtaFilterFlags.ProtoNumber) != 0)
        {
            using NetlinkNest proto = writer.BeginNested(CtaTupleAttribute.Proto);
            writer.WriteUInt8(CtaProtoAttribute.Number, (byte)_filter!.Protocol!.Value);
            if ((flags & CtaFilterFlags.SourcePort) != 0)
            {
                writer.WriteUInt16BigEndian(CtaProtoAttribute.SourcePort, (ushort)sourcePort!.Value);
            }
            if ((flags & CtaFilterFlags.DestinationPort) != 0)
            {
                writer.WriteUInt16BigEndian(CtaProtoAttribute.DestinationPort, (ushort)destinationPort!.Value);
            }
        }
    }
}
