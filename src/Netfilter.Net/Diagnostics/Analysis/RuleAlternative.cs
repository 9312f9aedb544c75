using Netfilter.Net.NfTables;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// One way through a rule: the conditions and the action. A plain rule has one; a rule that
/// looks a key up in a map or verdict map has one per element (each element its own key and
/// outcome), and its identity is the element's comment.
/// </summary>
internal sealed record RuleAlternative(PacketMatch Match, RuleAction Action, Rule Rule, SetElement? Element)
{
    /// <summary>The comment of the element (for map lookups) or of the rule: for our tables, the typed rule's canonical text.</summary>
    public string? Identity => Element is not null ? Element.Comment : Rule.Comment;

    /// <summary>"table ip nat chain PREROUTING handle 4" (with the element's comment for a map entry).</summary>
    public string Where =>
        $"table {FamilyName(Rule.Family)} {Rule.Table} chain {Rule.Chain} handle {Rule.Handle}" + (Element is not null ? $" (map entry {Element.Comment ?? Element.Key.ToString()})" : string.Empty);

    /// <summary>nft's name of the family (<see cref="NftNames.Family"/>), or its number.</summary>
    public static string FamilyName(NetfilterFamily family) => NftNames.Family(family) ?? ((byte)family).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => $"{Match} {Action}";
}
