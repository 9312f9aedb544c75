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
        ["dup"] = DupExpression.Decode,
        ["dynset"] = DynsetExpression.Decode,
        ["exthdr"] = ExthdrExpression.Decode,
        ["fib"] = FibExpression.Decode,
        ["flow_offload"] = FlowOffloadExpression.Decode,
        ["fwd"] = FwdExpression.Decode,
        ["hash"] = HashExpression.Decode,
        ["immediate"] = ImmediateExpression.Decode,
        ["last"] = LastExpression.Decode,
        ["limit"] = LimitExpression.Decode,
        ["log"] = LogExpression.Decode,
        ["lookup"] = LookupExpression.Decode,
        ["masq"] = MasqExpression.Decode,
        ["match"] = MatchExpression.Decode,
        ["meta"] = MetaExpression.Decode,
        ["nat"] = NatExpression.Decode,
        ["notrack"] = NotrackExpression.Decode,
        ["numgen"] = NumgenExpression.Decode,
        ["objref"] = ObjrefExpression.Decode,
        ["osf"] = OsfExpression.Decode,
        ["payload"] = PayloadExpression.Decode,
        ["queue"] = QueueExpression.Decode,
        ["quota"] = QuotaExpression.Decode,
        ["range"] = RangeExpression.Decode,
        ["redir"] = RedirExpression.Decode,
        ["reject"] = RejectExpression.Decode,
        ["rt"] = RtExpression.Decode,
        ["socket"] = SocketExpression.Decode,
        ["synproxy"] = SynproxyExpression.Decode,
        ["target"] = TargetExpression.Decode,
        ["tproxy"] = TproxyExpression.Decode,
        ["xfrm"] = XfrmExpression.Decode,
    };

    /// <summary>Decodes <paramref name="data"/> as expression <paramref name="name"/>; unknown names and unknown attributes give an <see cref="UnknownExpression"/>.</summary>
    /// <remarks><paramref name="hasData"/> is false when the expression came without NFTA_EXPR_DATA (notrack), so an unknown one re-encodes without it too.</remarks>
    public static NftExpression Decode(string name, ReadOnlySpan<byte> data, bool hasData = true)
    {
        if (s_decoders.TryGetValue(name, out ExpressionDecoder? decoder))
        {
            NftExpression? expression;
            try
            {
                expression = decoder(data);
            }
            catch (ArgumentException e)
            {
                // The typed constructors validate what a caller builds; from the kernel, the same
                // refusal means malformed data, and decoding only ever raises the protocol exception.
                throw new NetlinkProtocolException($"{name} expression", $"attributes that make a valid {name} expression", e.Message);
            }
            if (expression is not null)
            {
                return expression;
            }
        }
        return new UnknownExpression(name, data, hasData);
    }

    /// <summary>True when <paramref name="name"/> has a typed decoder.</summary>
    public static bool IsKnown(string name) => s_decoders.ContainsKey(name);
}
