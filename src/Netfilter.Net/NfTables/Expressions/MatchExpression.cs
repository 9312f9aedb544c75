using System;
using System.Text;
using Netfilter.Net.Netlink;
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
public sealed class MatchExpression : NftExpression
{
    private readonly byte[]? _info;

    /// <summary>The xtables match <paramref name="matchName"/> at <paramref name="revision"/> with its info structure <paramref name="info"/>.</summary>
    public MatchExpression(string matchName, uint revision, ReadOnlySpan<byte> info)
        : this(matchName, (uint?)revision, info.ToArray())
    {
    }

    private MatchExpression(string matchName, uint? revision, byte[]? info)
    {
        ArgumentException.ThrowIfNullOrEmpty(matchName);
        MatchName = matchName;
        Revision = revision;
        _info = info;
    }

    /// <summary>NFTA_MATCH_NAME, e.g. "multiport".</summary>
    public string MatchName { get; }

    /// <summary>NFTA_MATCH_REV, when present.</summary>
    public uint? Revision { get; }

    /// <summary>NFTA_MATCH_INFO: the match's xt_*_info structure as the kernel holds it (empty when absent).</summary>
    public ReadOnlyMemory<byte> Info => _info;

    /// <inheritdoc />
    public override string Name => "match";

    internal override void EncodeData(NetlinkWriter writer) => XtAttributes.Write(writer, MatchName, Revision, _info, _info is not null);

    internal static NftExpression? Decode(ReadOnlySpan<byte> data) =>
        XtAttributes.TryRead(data, "match", out string? name, out uint? revision, out byte[]? info)
            ? new MatchExpression(name!, revision, info)
            : null;

    internal override void AppendDebugBody(StringBuilder builder) => XtAttributes.AppendDebug(builder, MatchName, Revision);
}
