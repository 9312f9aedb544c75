using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// Encodes and decodes NFT_MSG_*SETELEM messages:
/// <code>
/// NFTA_SET_ELEM_LIST_TABLE, NFTA_SET_ELEM_LIST_SET (or _SET_ID)
/// NFTA_SET_ELEM_LIST_ELEMENTS (nested)
///   NFTA_LIST_ELEM (nested), one per element
///     NFTA_SET_ELEM_KEY { NFTA_DATA_VALUE }, NFTA_SET_ELEM_KEY_END, NFTA_SET_ELEM_DATA, _FLAGS, _TIMEOUT, _USERDATA, ...
/// </code>
/// </summary>
internal static class SetElementCodec
{
    public static void WriteHeader(NetlinkWriter writer, string table, string set, uint? setId)
    {
        writer.WriteStringZ(SetElementListAttribute.Table, table);
        writer.WriteStringZ(SetElementListAttribute.Set, set);
        if (setId is uint id)
        {
            writer.WriteUInt32BigEndian(SetElementListAttribute.SetId, id);
        }
    }

    /// <summary>
    /// Writes one element nest. The kernel walks the list without looking at the nests' type
    /// (nla_for_each_nested in nf_tables_newsetelem); libnftnl numbers them 1, 2, 3... within each
    /// message (nftnl_set_elems_nlmsg_build_payload: mnl_attr_nest_start(nlh, ++i)), so pass the
    /// element's 1-based position as <paramref name="attributeType"/> to send what nft sends.
    /// <paramref name="withExpiration"/>: whether <see cref="SetElement.Expiration"/> goes out
    /// (NFTA_SET_ELEM_EXPIRATION, right after the timeout, where libnftnl's
    /// nftnl_set_elem_nlmsg_build_payload puts it); only a NEWSETELEM message has a use for it.
    /// </summary>
    public static void WriteElement(NetlinkWriter writer, SetElement element, ushort attributeType = ListAttribute.Element, bool withExpiration = false)
    {
        using NetlinkNest nest = writer.BeginNested(attributeType);
        if (element.Flags is SetElementFlags flags)
        {
            writer.WriteUInt32BigEndian(SetElementAttribute.Flags, (uint)flags);
        }
        if (element.Timeout is ulong timeout)
        {
            writer.WriteUInt64BigEndian(SetElementAttribute.Timeout, timeout);
        }
        if (withExpiration && element.Expiration is ulong expiration)
        {
            writer.WriteUInt64BigEndian(SetElementAttribute.Expiration, expiration);
        }
        // A catch-all element has no key at all.
        if (element.Key.Length > 0)
        {
            DataCodec.WriteValue(writer, SetElementAttribute.Key, element.Key);
        }
        if (element.KeyEnd is not null)
        {
            DataCodec.WriteValue(writer, SetElementAttribute.KeyEnd, element.KeyEnd);
        }
        if (element.Verdict is not null)
        {
            DataCodec.WriteVerdict(writer, SetElementAttribute.Data, element.Verdict);
        }
        else if (element.Data is not null)
        {
            DataCodec.WriteValue(writer, SetElementAttribute.Data, element.Data);
        }
        if (element.ObjectReference is not null)
        {
            writer.WriteStringZ(SetElementAttribute.ObjectReference, element.ObjectReference);
        }
        if (!element.UserData.IsEmpty)
        {
            writer.WriteBytes(SetElementAttribute.UserData, element.UserData.Span);
        }
        ExpressionListCodec.WriteOneOrList(writer, SetElementAttribute.Expression, SetElementAttribute.Expressions, element.Expressions);
    }

    /// <summary>Decodes one NFT_MSG_NEWSETELEM dump message into its table, set and elements.</summary>
    public static (NetfilterFamily Family, string Table, string Set, List<SetElement> Elements) Decode(in NetlinkMessage message)
    {
        NfGenMsg header = NfGenMsg.Read(message.Payload, "NFT_MSG_NEWSETELEM");
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NFTA_SET_ELEM_LIST");
        string? table = null, set = null;
        var elements = new List<SetElement>();
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case SetElementListAttribute.Table: table = a.GetStringZ(); break;
                case SetElementListAttribute.Set: set = a.GetStringZ(); break;
                case SetElementListAttribute.Elements:
                    NetlinkAttributeReader list = a.GetNested("NFTA_SET_ELEM_LIST_ELEMENTS");
                    while (list.TryRead(out NetlinkAttribute element))
                    {
                        elements.Add(DecodeElement(element));
                    }
                    break;
            }
        }
        if (table is null || set is null)
        {
            throw new NetlinkProtocolException("NFT_MSG_NEWSETELEM", "NFTA_SET_ELEM_LIST_TABLE and _SET", "a missing attribute");
        }
        return (header.Family, table, set, elements);
    }

    private static SetElement DecodeElement(in NetlinkAttribute attribute)
    {
        NftData? key = null, keyEnd = null, data = null;
        Verdict? verdict = null;
        SetElementFlags? flags = null;
        ulong? timeout = null, expiration = null;
        string? objref = null;
        ReadOnlyMemory<byte> userData = default;
        List<NftExpression>? expressions = null;
        NetlinkAttributeReader reader = attribute.GetNested("NFTA_SET_ELEM");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case SetElementAttribute.Key: key = DataCodec.ReadValue(a, "NFTA_SET_ELEM_KEY"); break;
                case SetElementAttribute.KeyEnd: keyEnd = DataCodec.ReadValue(a, "NFTA_SET_ELEM_KEY_END"); break;
                case SetElementAttribute.Data: DataCodec.ReadData(a, "NFTA_SET_ELEM_DATA", out data, out verdict); break;
                case SetElementAttribute.Flags: flags = (SetElementFlags)a.GetUInt32BigEndian(); break;
                case SetElementAttribute.Timeout: timeout = a.GetUInt64BigEndian(); break;
                case SetElementAttribute.Expiration: expiration = a.GetUInt64BigEndian(); break;
                case SetElementAttribute.UserData: userData = a.Payload.ToArray(); break;
                case SetElementAttribute.ObjectReference: objref = a.GetStringZ(); break;
                case SetElementAttribute.Expression:
                    expressions = new List<NftExpression> { ExpressionListCodec.ReadExpressionBody(a.Payload, "NFTA_SET_ELEM_EXPR") };
                    break;
                case SetElementAttribute.Expressions:
                    expressions = ExpressionListCodec.Read(a, "NFTA_SET_ELEM_EXPRESSIONS");
                    break;
            }
        }
        return new SetElement(key ?? NftData.FromBytes(ReadOnlySpan<byte>.Empty))
        {
            KeyEnd = keyEnd,
            Data = data,
            Verdict = verdict,
            Flags = flags,
            Timeout = timeout,
            Expiration = expiration,
            UserData = userData,
            ObjectReference = objref,
            Expressions = expressions,
        };
    }
}
