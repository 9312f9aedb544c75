using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// An xtables extension run through the kernel's nft_compat layer, as iptables-nft writes rules it
/// cannot express natively: a <see cref="MatchExpression"/> or a <see cref="TargetExpression"/>.
/// Both carry the same three attributes (name, revision, info), so they share one shape; the
/// extension's xt_*_info structure is kept as raw bytes.
/// </summary>
/// <remarks>
/// The kernel checks an extension against the rule's NFTA_RULE_COMPAT (layer-4 protocol and
/// inversion flags) that iptables-nft sends with the rule; some (multiport, TCPMSS) are refused
/// without it, and the library sends it for every rule that holds one.
/// </remarks>
public abstract class XtablesExpression : NftExpression
{
    private readonly byte[]? _info;

    private protected XtablesExpression(string extensionName, uint? revision, byte[]? info)
    {
        ArgumentException.ThrowIfNullOrEmpty(extensionName);
        ExtensionName = extensionName;
        Revision = revision;
        _info = info;
    }

    /// <summary>The extension's name (NFTA_MATCH_NAME or NFTA_TARGET_NAME), e.g. "multiport" or "LOG".</summary>
    public string ExtensionName { get; }

    /// <summary>The extension's revision (NFTA_MATCH_REV or NFTA_TARGET_REV), when present.</summary>
    public uint? Revision { get; }

    /// <summary>The extension's xt_*_info structure as the kernel holds it (NFTA_MATCH_INFO or NFTA_TARGET_INFO; empty when absent).</summary>
    public ReadOnlyMemory<byte> Info => _info;

    internal override void EncodeData(NetlinkWriter writer) => XtAttributes.Write(writer, ExtensionName, Revision, _info, _info is not null);

    internal override void AppendDebugBody(StringBuilder builder) => XtAttributes.AppendDebug(builder, ExtensionName, Revision);
}
