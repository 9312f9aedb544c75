using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// notrack: the packet skips connection tracking (use it in a chain with priority raw, -300).
/// Debug text: <c>[ notrack ]</c>. The expression has no attributes, and libnftnl sends no
/// NFTA_EXPR_DATA for it at all (its expr_ops has no .build); the kernel dumps none either.
/// </summary>
public sealed class NotrackExpression : NftExpression
{
    /// <summary>The notrack expression.</summary>
    public NotrackExpression()
    {
    }

    /// <inheritdoc />
    public override string Name => "notrack";

    internal override bool HasData => false;

    internal override void EncodeData(NetlinkWriter writer)
    {
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data) =>
        data.IsEmpty ? new NotrackExpression() : null;

    internal override void AppendDebugBody(StringBuilder builder)
    {
    }
}
