using System;
using System.Collections.Generic;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The expression list of a rule (and of sets, elements and dynset):
/// <code>
/// NFTA_RULE_EXPRESSIONS (nested)
///   NFTA_LIST_ELEM (nested)          one per expression
///     NFTA_EXPR_NAME  "payload"
///     NFTA_EXPR_DATA  (nested)       the expression's own attributes
/// </code>
/// </summary>
internal static class ExpressionListCodec
{
    /// <summary>
    /// Writes one expression (NFTA_EXPR_NAME + NFTA_EXPR_DATA) at the current position, which must
    /// be inside an NFTA_LIST_ELEM or an attribute that holds a single expression.
    /// </summary>
    public static void WriteExpressionBody(NetlinkWriter writer, NftExpression expression)
    {
        writer.WriteStringZ(ExprAttribute.Name, expression.Name);
        if (!expression.HasData)
        {
            // libnftnl nftnl_expr_build_payload: no NFTA_EXPR_DATA when the expression has no .build.
            return;
        }
        using NetlinkNest data = writer.BeginNested(ExprAttribute.Data);
        expression.EncodeData(writer);
    }

    /// <summary>
    /// Writes the list nest <paramref name="type"/>. When <paramref name="offsets"/> is given,
    /// records where each expression's NFTA_LIST_ELEM starts relative to <paramref name="messageStart"/>,
    /// so an extended-ack offset can name the expression.
    /// </summary>
    public static void Write(NetlinkWriter writer, ushort type, IReadOnlyList<NftExpression> expressions, List<int>? offsets = null, int messageStart = 0)
    {
        using NetlinkNest list = writer.BeginNested(type);
        // Indexed, not foreach: an IReadOnlyList's enumerator is a heap object per rule.
        for (int i = 0; i < expressions.Count; i++)
        {
            offsets?.Add(writer.Length - messageStart);
            using NetlinkNest element = writer.BeginNested(ListAttribute.Element);
            WriteExpressionBody(writer, expressions[i]);
        }
    }

    /// <summary>
    /// Writes the expressions a set, an element or a dynset carries as libnftnl does: one as
    /// <paramref name="single"/> (NFTA_*_EXPR), several as the list <paramref name="list"/>
    /// (NFTA_*_EXPRESSIONS), none as nothing.
    /// </summary>
    public static void WriteOneOrList(NetlinkWriter writer, ushort single, ushort list, IReadOnlyList<NftExpression>? expressions)
    {
        if (expressions is { Count: 1 })
        {
            using NetlinkNest expr = writer.BeginNested(single);
            WriteExpressionBody(writer, expressions[0]);
        }
        else if (expressions is { Count: > 1 })
        {
            Write(writer, list, expressions);
        }
    }

    /// <summary>Reads a list nest of expressions.</summary>
    public static List<NftExpression> Read(in NetlinkAttribute list, string context)
    {
        // Most rules hold a handful of expressions: start with room for 8 rather than grow 4 → 8.
        var result = new List<NftExpression>(8);
        NetlinkAttributeReader reader = list.GetNested(context);
        while (reader.TryRead(out NetlinkAttribute element))
        {
            if (element.Type != ListAttribute.Element)
            {
                throw new NetlinkProtocolException(context, "NFTA_LIST_ELEM", $"attribute {element.Type}");
            }
            result.Add(ReadExpressionBody(element.Payload, context));
        }
        return result;
    }

    /// <summary>Reads NFTA_EXPR_NAME + NFTA_EXPR_DATA.</summary>
    public static NftExpression ReadExpressionBody(ReadOnlySpan<byte> payload, string context)
    {
        // The context names the list in error messages; building "… NFTA_LIST_ELEM" per expression
        // allocated a string per expression of every dumped rule.
        var reader = new NetlinkAttributeReader(payload, context);
        string? name = null;
        ReadOnlySpan<byte> data = default;
        bool hasData = false;
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            switch (attribute.Type)
            {
                case ExprAttribute.Name:
                    name = NameCache.GetStringZ(attribute);
                    break;
                case ExprAttribute.Data:
                    data = attribute.Payload;
                    hasData = true;
                    break;
            }
        }
        if (string.IsNullOrEmpty(name))
        {
            throw new NetlinkProtocolException(context, "a non-empty NFTA_EXPR_NAME", name is null ? "an expression without a name" : "an empty name");
        }
        return ExpressionRegistry.Decode(name, data, hasData);
    }
}
