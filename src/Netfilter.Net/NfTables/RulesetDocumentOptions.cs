namespace Netfilter.Net.NfTables;

/// <summary>How <see cref="RulesetDocument"/> writes a document.</summary>
public sealed class RulesetDocumentWriteOptions
{
    /// <summary>
    /// Also write, for people, what restore does not need and ignores: each rule's expressions in
    /// libnftnl's notation (<c>"debug"</c>, as <c>nft --debug=netlink</c> prints them), each
    /// object's libnftnl text, the comments nft keeps in userdata, hook names and rule handles.
    /// Off by default: a saved document then holds only what restore sends (about 250 bytes per
    /// DNAT rule instead of about 700).
    /// </summary>
    public bool Annotate { get; init; }
}

/// <summary>How <see cref="RulesetDocument"/> reads a document.</summary>
public sealed class RulesetDocumentReadOptions
{
    /// <summary>
    /// The most bytes of input read before the document is refused with a
    /// <see cref="RulesetDocumentException"/>: <see cref="RulesetDocument.DefaultMaxBytes"/> unless
    /// set. It keeps an endless or huge input (<c>/dev/zero</c>, a wrong file) from filling memory.
    /// </summary>
    public long MaxBytes { get; init; } = RulesetDocument.DefaultMaxBytes;
}
