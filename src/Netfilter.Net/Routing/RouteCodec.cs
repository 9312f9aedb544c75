using System;
using System.Net;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Routing;

/// <summary>
/// Encodes and decodes RTM_*ROUTE messages (struct rtmsg + RTA_* attributes) the way
/// iproute2's ip/iproute.c does: RTA_DST even for a /0 written as an address, a table id below
/// 256 in rtm_table and a larger one in RTA_TABLE, then RTA_OIF.
/// </summary>
internal static class RouteCodec
{
    /// <summary>RTM_NEWROUTE with NLM_F_CREATE|NLM_F_EXCL, as <c>ip route add</c> sends it.</summary>
    public static void WriteAdd(NetlinkWriter writer, uint sequence, Route route) =>
        Write(writer, RoutingMessageType.NewRoute, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, sequence, route);

    /// <summary>RTM_DELROUTE, as <c>ip route del</c> sends it (<see cref="RouteProtocol.Unspecified"/> matches any protocol).</summary>
    public static void WriteDelete(NetlinkWriter writer, uint sequence, Route route) =>
        Write(writer, RoutingMessageType.DeleteRoute, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence, route);

    /// <summary>
    /// RTM_GETROUTE dump of one family and table, as <c>ip route show table T</c> sends it: an
    /// rtmsg with only the family, and RTA_TABLE, which the kernel uses as a filter when the
    /// socket has NETLINK_GET_STRICT_CHK (and ignores otherwise: callers filter again).
    /// </summary>
    public static void WriteDump(NetlinkWriter writer, uint sequence, NetfilterFamily family, uint table)
    {
        writer.BeginMessage(RoutingMessageType.GetRoute, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        new RouteHeader((byte)family, 0, 0, 0, 0, 0, 0, 0, 0).Write(writer.Reserve(RouteHeader.Size));
        writer.WriteUInt32Host(RouteAttribute.Table, table);
        writer.EndMessage();
    }

    /// <summary>rtm_flags RTM_F_LOOKUP_TABLE (uapi linux/rtnetlink.h): report the table the route came from, as ip sets it for IPv4.</summary>
    private const uint LookupTableFlag = 0x1000;

    /// <summary>
    /// RTM_GETROUTE for one address (no dump), as <c>ip route get ADDRESS</c> sends it
    /// (iproute2 ip/iproute.c iproute_get): rtm_dst_len 32 or 128, RTA_DST, and for IPv4
    /// RTM_F_LOOKUP_TABLE. NLM_F_ACK is added so the request engine sees the end of the answer.
    /// </summary>
    public static void WriteGet(NetlinkWriter writer, uint sequence, IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        bool v4 = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        if (!v4 && destination.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"{destination} is neither IPv4 nor IPv6", nameof(destination));
        }
        writer.BeginMessage(RoutingMessageType.GetRoute, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        new RouteHeader((byte)(v4 ? NetfilterFamily.IPv4 : NetfilterFamily.IPv6), (byte)(v4 ? 32 : 128), 0, 0, 0, 0, 0, 0, v4 ? LookupTableFlag : 0)
            .Write(writer.Reserve(RouteHeader.Size));
        writer.WriteBytes(RouteAttribute.Destination, destination.GetAddressBytes());
        writer.EndMessage();
    }

    /// <summary>Decodes the RTM_NEWROUTE that answers <see cref="WriteGet"/>: type, output interface index, gateway, preferred source.</summary>
    public static RouteLookup DecodeLookup(in NetlinkMessage message, IPAddress destination)
    {
        const string context = "RTM_NEWROUTE (route lookup)";
        RouteHeader header = RouteHeader.Read(message.Payload, context);
        int addressLength = Prefix.AddressLength((NetfilterFamily)header.Family, context);
        int? oif = null;
        IPAddress? gateway = null;
        IPAddress? source = null;
        var reader = new NetlinkAttributeReader(message.Payload.Slice(RouteHeader.Size), "RTA");
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            switch (attribute.Type)
            {
                case RouteAttribute.OutputInterface:
                    oif = (int)attribute.GetUInt32Host();
                    break;
                case RouteAttribute.Gateway:
                    attribute.ExpectLength(addressLength);
                    gateway = new IPAddress(attribute.Payload);
                    break;
                case RouteAttribute.PreferredSource:
                    attribute.ExpectLength(addressLength);
                    source = new IPAddress(attribute.Payload);
                    break;
            }
        }
        return new RouteLookup(destination, (RouteType)header.Type, oif, null, gateway, source);
    }

    private static void Write(NetlinkWriter writer, ushort type, NetlinkMessageFlags flags, uint sequence, Route route)
    {
        if (route.Gateway is not null)
        {
            // No golden bytes from ip(8) back a gateway yet; refuse rather than guess.
            throw new ArgumentException("routes with a gateway cannot be encoded yet", nameof(route));
        }
        int addressLength = Prefix.AddressLengthOrThrow(route.Family, nameof(route));
        byte[] destination = route.Destination.BaseAddress.GetAddressBytes();
        if (destination.Length != addressLength)
        {
            throw new ArgumentException($"the destination {route.Destination} is not an {route.Family} prefix", nameof(route));
        }
        byte headerTable = route.Table < 256 ? (byte)route.Table : (byte)RouteTable.Unspecified;
        writer.BeginMessage(type, flags, sequence);
        new RouteHeader((byte)route.Family, (byte)route.Destination.PrefixLength, 0, 0, headerTable, (byte)route.Protocol, (byte)route.Scope, (byte)route.Type, 0)
            .Write(writer.Reserve(RouteHeader.Size));
        writer.WriteBytes(RouteAttribute.Destination, destination);
        if (route.Table >= 256)
        {
            writer.WriteUInt32Host(RouteAttribute.Table, route.Table);
        }
        if (route.OutputInterfaceIndex is int oif)
        {
            writer.WriteUInt32Host(RouteAttribute.OutputInterface, (uint)oif);
        }
        if (route.Metric is uint metric)
        {
            writer.WriteUInt32Host(RouteAttribute.Priority, metric);
        }
        writer.EndMessage();
    }

    /// <summary>Decodes one RTM_NEWROUTE (a dump entry). Unknown attributes (metrics, cache info, preference) are skipped.</summary>
    public static Route Decode(in NetlinkMessage message)
    {
        const string context = "RTM_NEWROUTE";
        RouteHeader header = RouteHeader.Read(message.Payload, context);
        var family = (NetfilterFamily)header.Family;
        int addressLength = Prefix.AddressLength(family, context);
        uint table = header.Table;
        IPNetwork? destination = null;
        int? oif = null;
        IPAddress? gateway = null;
        uint? metric = null;
        var reader = new NetlinkAttributeReader(message.Payload.Slice(RouteHeader.Size), "RTA");
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            switch (attribute.Type)
            {
                case RouteAttribute.Table:
                    table = attribute.GetUInt32Host();
                    break;
                case RouteAttribute.Destination:
                    attribute.ExpectLength(addressLength);
                    destination = Prefix.Create(attribute.Payload, header.DestinationLength, "RTA_DST");
                    break;
                case RouteAttribute.OutputInterface:
                    oif = (int)attribute.GetUInt32Host();
                    break;
                case RouteAttribute.Gateway:
                    attribute.ExpectLength(addressLength);
                    gateway = new IPAddress(attribute.Payload);
                    break;
                case RouteAttribute.Priority:
                    metric = attribute.GetUInt32Host();
                    break;
            }
        }
        if (destination is null && header.DestinationLength != 0)
        {
            throw new NetlinkProtocolException(context, $"an RTA_DST attribute for a /{header.DestinationLength} route", "none");
        }
        return new Route
        {
            Family = family,
            Table = table,
            Type = (RouteType)header.Type,
            Scope = (RouteScope)header.Scope,
            Protocol = (RouteProtocol)header.Protocol,
            Destination = destination ?? Prefix.Default(family),
            OutputInterfaceIndex = oif,
            Gateway = gateway,
            Metric = metric,
        };
    }
}
