using System;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// match: an xtables match (<c>-m multiport</c>, <c>-m addrtype</c>...) run through the kernel's
/// nft_compat layer, as iptables-nft writes rules it cannot express natively. The match's
/// xt_*_info structure is kept as raw bytes. Debug text: <c>[ match name multiport rev 1 ]</c>.
/// </summary>
/// <remarks>
/// The kernel checks a match against the rule's NFTA_RULE_COMPAT (layer-4 protocol and
/// inversion flags) that iptables-nft sends with the rule; a match such as multiport is refused
/// without it.
/// </remarks>
public sealed class MatchExpression : XtablesExpression
{
    /// <summary>The xtables match <paramref name="matchName"/> at <paramref name="revision"/> with its info structure <paramref name="info"/>.</summary>
    public MatchExpression(string matchName, uint revision, ReadOnlySpan<byte> info)
        : base(matchName, revision, info.ToArray())
    {
    }

    private MatchExpression(string matchName, uint? revision, byte[]? info)
        : base(matchName, revision, info)
    {
    }

    /// <summary>NFTA_MATCH_NAME, e.g. "multiport": the same as <see cref="XtablesExpression.ExtensionName"/>.</summary>
    public string MatchName => ExtensionName;

    /// <inheritdoc />
    public override string Name => "match";

    internal static NftExpression? Decode(ReadOnlySpan<byte> data) =>
        XtAttributes.TryRead(data, "match", out string? name, out uint? revision, out byte[]? info)
            ? new MatchExpression(name!, revision, info)
            : null;
}
