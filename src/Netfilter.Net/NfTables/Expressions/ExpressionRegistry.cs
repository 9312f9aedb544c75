using System;
using System.Collections.Generic;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// Decodes the NFTA_EXPR_DATA payload of one expression. Returns null when the payload holds an
/// attribute the decoder does not model, so the caller keeps the expression raw
/// (<see cref="UnknownExpression"/>) instead of silently dropping that attribute.
/// Malformed data (bad lengths, missing required attributes) raises <see cref="NetlinkProtocolException"/>.
/// </summary>
internal delegate NftExpression? ExpressionDecoder(ReadOnlySpan<byte> data);

/// <summary>Kernel expression name → decoder. Every expression file registers itself here.</summary>
internal static class ExpressionRegistry
{
    private static readonly Dictionary<string, ExpressionDecoder> s_decoders = new(StringComparer.Ordinal)
    {
        ["bitwise"] = BitwiseExpression.Decode,
        ["byteorder"] = ByteorderExpression.Decode,
        ["cmp"] = CmpExpression.Decode,
        ["connlimit"] = ConnlimitExpression.Decode,
        ["counter"] = CounterExpression.Decode,
        ["ct"] = CtExpression.Decode,
        ["dynset"] = DynsetExpression.Decode,
        ["immediate"] = ImmediateExpression.Decode,
        ["limit"] = LimitExpression.Decode,
        ["log"] = LogExpression.Decode,
        ["lookup"] = LookupExpression.Decode,
        ["masq"] = MasqExpression.Decode,
        ["meta"] = MetaExpression.Decode,
        ["nat"] = NatExpression.Decode,
        ["payload"] = PayloadExpression.Decode,
        ["quota"] = QuotaExpression.Decode,
        ["range"] = RangeExpression.Decode,
        ["redir"] = RedirExpression.Decode,
        ["tproxy"] = TproxyExpression.Decode,
    };

    /// <summary>Decodes <paramref name="data"/> as expression <paramref name="name"/>; unknown names and unknown attributes give an <see cref="UnknownExpression"/>.</summary>
    public static NftExpression Decode(string name, ReadOnlySpan<byte> data)
    {
        if (s_decoders.TryGetValue(name, out ExpressionDecoder? decoder))
        {
            NftExpression? expression = decoder(data);
            if (expression is not null)
            {
                return expression;
            }
        }
        return new UnknownExpression(name, data);
    }

    /// <summary>True when <paramref name="name"/> has a typed decoder.</summary>
    public static bool IsKnown(string name) => s_decoders.ContainsKey(name);
}
