using System;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// target: an xtables target (<c>-j LOG</c>, <c>-j TCPMSS</c>...) run through the kernel's
/// nft_compat layer, as iptables-nft writes rules it cannot express natively. The target's
/// xt_*_info structure is kept as raw bytes. Debug text: <c>[ target name LOG rev 0 ]</c>.
/// </summary>
/// <remarks>
/// The kernel checks a target against the rule's NFTA_RULE_COMPAT (layer-4 protocol and
/// inversion flags) that iptables-nft sends with the rule; some targets (TCPMSS) are refused
/// without it.
/// </remarks>
public sealed class TargetExpression : XtablesExpression
{
    /// <summary>The xtables target <paramref name="targetName"/> at <paramref name="revision"/> with its info structure <paramref name="info"/>.</summary>
    public TargetExpression(string targetName, uint revision, ReadOnlySpan<byte> info)
        : base(targetName, revision, info.ToArray())
    {
    }

    private TargetExpression(string targetName, uint? revision, byte[]? info)
        : base(targetName, revision, info)
    {
    }

    /// <summary>NFTA_TARGET_NAME, e.g. "LOG": the same as <see cref="XtablesExpression.ExtensionName"/>.</summary>
    public string TargetName => ExtensionName;

    /// <inheritdoc />
    public override string Name => "target";

    internal static NftExpression? Decode(ReadOnlySpan<byte> data) =>
        XtAttributes.TryRead(data, "target", out string? name, out uint? revision, out byte[]? info)
            ? new TargetExpression(name!, revision, info)
            : null;
}
