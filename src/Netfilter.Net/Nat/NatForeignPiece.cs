using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>
/// Something in an owned NAT table that no typed rule accounts for: an element or rule without a
/// parseable typed-rule comment (added by hand, for example), or a chain or set that is not part
/// of the layout. <see cref="NatTable.ApplyAsync"/> removes them; <c>nfnet list</c> and the doctor show them.
/// </summary>
internal sealed class NatForeignPiece
{
    private NatForeignPiece(string description) => Description = description;

    /// <summary>The piece in nft's words, e.g. <c>element tcp . 2222 : 10.0.2.2 . 22 in map dnat4_pre (no comment)</c>.</summary>
    public string Description { get; }

    public (string Set, SetElement Element)? Element { get; private init; }

    public Rule? Rule { get; private init; }

    public Chain? Chain { get; private init; }

    public Set? Set { get; private init; }

    public static NatForeignPiece OfElement(string set, SetElement element) =>
        new($"element {NatElementText.Format(set, element)} in {NatFoundRule.SetWord(set)} {set} ({CommentText(element.Comment)})") { Element = (set, element) };

    public static NatForeignPiece OfRule(Rule rule) =>
        new($"rule handle {rule.Handle} in chain {rule.Chain} ({CommentText(rule.Comment)}): {string.Join(' ', System.Linq.Enumerable.Select(rule.Expressions, e => e.ToString()))}") { Rule = rule };

    public static NatForeignPiece OfChain(Chain chain) =>
        new(chain.Hook is ChainHook hook
            ? $"chain {chain.Name} (type {chain.Type} hook {HookName(hook.HookNumber)} priority {hook.Priority}; policy {(chain.Policy?.ToString() ?? "accept").ToLowerInvariant()})"
            : $"chain {chain.Name}")
        { Chain = chain };

    public static NatForeignPiece OfSet(Set set) => new($"{(set.IsMap ? "map" : "set")} {set.Name}") { Set = set };

    private static string CommentText(string? comment) => comment is null ? "no comment" : $"comment \"{comment}\"";

    /// <summary>nft's name of a NAT chain's hook (the table is inet), or its number.</summary>
    private static string HookName(uint hook) => NftNames.Hook(NetfilterFamily.Inet, hook) ?? hook.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => Description;
}
