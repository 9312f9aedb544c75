using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// One nftables expression of a rule: the kernel's unit of work (load a header field into a
/// register, compare, look up a set, NAT, count...). Each kernel expression has its own
/// sealed subclass in this folder with its encoder, decoder and libnftnl debug text;
/// <see cref="UnknownExpression"/> keeps anything this library does not model, byte for byte.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> prints exactly what <c>nft --debug=netlink</c> prints for the
/// expression (libnftnl 1.2.4), e.g. <c>[ meta load l4proto =&gt; reg 1 ]</c>.
/// </remarks>
public abstract class NftExpression
{
    private protected NftExpression()
    {
    }

    /// <summary>The kernel's name of the expression (NFTA_EXPR_NAME), e.g. "payload", "nat".</summary>
    public abstract string Name { get; }

    /// <summary>Writes the attributes that go inside NFTA_EXPR_DATA.</summary>
    internal abstract void EncodeData(NetlinkWriter writer);

    /// <summary>
    /// False for expressions that libnftnl builds without an NFTA_EXPR_DATA nest at all (its
    /// expr_ops has no .build, e.g. notrack): nft sends only NFTA_EXPR_NAME, and the kernel
    /// dumps only the name.
    /// </summary>
    internal virtual bool HasData => true;

    /// <summary>
    /// The version-dependent kernel feature this expression (in this form) needs, or null when
    /// every kernel the library supports has it. Used to explain a refusal (Internal/KernelFeatures).
    /// </summary>
    internal virtual KernelFeature? RequiredFeature => Internal.KernelFeatures.ForExpression(Name);

    /// <summary>Appends the body of libnftnl's debug text (everything between the name and the closing bracket).</summary>
    internal abstract void AppendDebugBody(StringBuilder builder);

    /// <summary>libnftnl's debug line for this expression, without indentation: <c>[ name body]</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        AppendDebug(sb);
        return sb.ToString();
    }

    /// <summary>Appends <see cref="ToString"/>'s text to <paramref name="builder"/>, without a string of its own.</summary>
    internal void AppendDebug(StringBuilder builder)
    {
        builder.Append("[ ").Append(Name).Append(' ');
        AppendDebugBody(builder);
        builder.Append(']');
    }
}
