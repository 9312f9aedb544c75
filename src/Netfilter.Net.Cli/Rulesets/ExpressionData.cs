using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.Cli.Rulesets;

/// <summary>
/// An expression's NFTA_EXPR_DATA payload (and an object's NFTA_OBJ_DATA), as the library's own encoder writes it into a rule
/// (the same bytes a commit sends, which the golden tests pin against nft's). This is what lets
/// a saved ruleset keep every expression, known or not, byte for byte.
/// </summary>
internal static class ExpressionData
{
    public static byte[] Of(NftExpression expression)
    {
        using var writer = new NetlinkWriter(256);
        expression.EncodeData(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>A stateful object's NFTA_OBJ_DATA payload, likewise.</summary>
    public static byte[] Of(NftObject obj)
    {
        using var writer = new NetlinkWriter(256);
        obj.EncodeData(writer);
        return writer.WrittenSpan.ToArray();
    }
}
