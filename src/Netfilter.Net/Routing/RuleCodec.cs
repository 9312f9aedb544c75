using System;
using System.Net;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Routing;

/// <summary>
/// Encodes and decodes RTM_*RULE messages (struct fib_rule_hdr + FRA_* attributes) the way
/// iproute2's ip/iprule.c does: a table id below 256 goes in the header, a larger one in
/// FRA_TABLE with the header's table at RT_TABLE_UNSPEC; FRA_FWMASK only when a mask was given.
/// </summary>
internal static class RuleCodec
{
    /// <summary>RTM_NEWRULE with NLM_F_CREATE|NLM_F_EXCL, as <c>ip rule add</c> sends it.</summary>
    public static void WriteAdd(NetlinkWriter writer, uint sequence, RoutingRule rule) =>
        Write(writer, RoutingMessageType.NewRule, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, sequence, rule, priority: rule.Priority == 0 ? null : rule.Priority);

    /// <summary>
    /// RTM_DELRULE, as <c>ip rule del</c> sends it. The kernel deletes the first rule that
    /// matches every selector given; <paramref name="priority"/> pins one rule among duplicates.
    /// </summary>
    public static void WriteDelete(NetlinkWriter writer, uint sequence, RoutingRule rule, uint? priority) =>
        Write(writer, RoutingMessageType.DeleteRule, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence, rule, priority);

    /// <summary>RTM_GETRULE dump of one family: a fib_rule_hdr with only the family set, which is all strict checking allows.</summary>
    public static void WriteDump(NetlinkWriter writer, uint sequence, NetfilterFamily family)
    {
        writer.BeginMessage(RoutingMessageType.GetRule, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        new RuleHeader((byte)family, 0, 0, 0, 0, 0, 0).Write(writer.Reserve(RuleHeader.Size));
        writer.EndMessage();
    }

    private static void Write(NetlinkWriter writer, ushort type, NetlinkMessageFlags flags, uint sequence, RoutingRule rule, uint? priority)
    {
        if (rule.Source is not null || rule.Destination is not null || rule.InputInterface is not null || rule.OutputInterface is not null || rule.Invert)
        {
            // Only the selectors TPROXY needs have golden bytes from ip(8); refuse the rest
            // rather than send something unproven.
            throw new ArgumentException("only fwmark/mask, table, priority and action can be encoded; source, destination, interface and 'not' selectors are not supported", nameof(rule));
        }
        Prefix.AddressLengthOrThrow(rule.Family, nameof(rule));
        byte headerTable = rule.Table < 256 ? (byte)rule.Table : (byte)RouteTable.Unspecified;
        writer.BeginMessage(type, flags, sequence);
        new RuleHeader((byte)rule.Family, 0, 0, 0, headerTable, (byte)rule.Action, 0).Write(writer.Reserve(RuleHeader.Size));
        if (rule.FirewallMark is uint mark)
        {
            writer.WriteUInt32Host(RuleAttribute.FirewallMark, mark);
        }
        if (rule.FirewallMask is uint mask)
        {
            writer.WriteUInt32Host(RuleAttribute.FirewallMask, mask);
        }
        if (rule.Table >= 256)
        {
            writer.WriteUInt32Host(RuleAttribute.Table, rule.Table);
        }
        if (priority is uint p)
        {
            writer.WriteUInt32Host(RuleAttribute.Priority, p);
        }
        writer.EndMessage();
    }

    /// <summary>Decodes one RTM_NEWRULE (a dump entry). Unknown attributes are skipped.</summary>
    public static RoutingRule Decode(in NetlinkMessage message)
    {
        const string context = "RTM_NEWRULE";
        RuleHeader header = RuleHeader.Read(message.Payload, context);
        var family = (NetfilterFamily)header.Family;
        uint table = header.Table;
        uint priority = 0;
        uint? mark = null;
        uint? mask = null;
        IPNetwork? source = null;
        IPNetwork? destination = null;
        string? inputInterface = null;
        string? outputInterface = null;
        var protocol = RouteProtocol.Unspecified;
        var reader = new NetlinkAttributeReader(message.Payload.Slice(RuleHeader.Size), "FRA");
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            switch (attribute.Type)
            {
                case RuleAttribute.Table:
                    table = attribute.GetUInt32Host();
                    break;
                case RuleAttribute.Priority:
                    priority = attribute.GetUInt32Host();
                    break;
                case RuleAttribute.FirewallMark:
                    mark = attribute.GetUInt32Host();
                    break;
                case RuleAttribute.FirewallMask:
                    mask = attribute.GetUInt32Host();
                    break;
                case RuleAttribute.Source:
                    attribute.ExpectLength(Prefix.AddressLength(family, context));
                    source = Prefix.Create(attribute.Payload, header.SourceLength, "FRA_SRC");
                    break;
                case RuleAttribute.Destination:
                    attribute.ExpectLength(Prefix.AddressLength(family, context));
                    destination = Prefix.Create(attribute.Payload, header.DestinationLength, "FRA_DST");
                    break;
                case RuleAttribute.InputInterfaceName:
                    inputInterface = attribute.GetString();
                    break;
                case RuleAttribute.OutputInterfaceName:
                    outputInterface = attribute.GetString();
                    break;
                case RuleAttribute.Protocol:
                    protocol = (RouteProtocol)attribute.GetUInt8();
                    break;
            }
        }
        return new RoutingRule
        {
            Family = family,
            Priority = priority,
            FirewallMark = mark,
            FirewallMask = mask,
            Table = table,
            Action = (RuleAction)header.Action,
            Source = source,
            Destination = destination,
            InputInterface = inputInterface,
            OutputInterface = outputInterface,
            Invert = (header.Flags & RuleHeader.InvertFlag) != 0,
            Protocol = protocol,
        };
    }
}
