using System;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A verdict (NFTA_DATA_VERDICT): a code, and for jump/goto the target chain by name
/// (NFTA_VERDICT_CHAIN) or by the id of a chain created in the same transaction
/// (NFTA_VERDICT_CHAIN_ID).
/// </summary>
/// <param name="Kind">The verdict code.</param>
/// <param name="Chain">The target chain of a jump or goto.</param>
/// <param name="ChainId">The transaction-local id of the target chain, when it is referenced by id.</param>
public sealed record Verdict(VerdictKind Kind, string? Chain = null, uint? ChainId = null)
{
    /// <summary>accept.</summary>
    public static Verdict Accept { get; } = new(VerdictKind.Accept);

    /// <summary>drop.</summary>
    public static Verdict Drop { get; } = new(VerdictKind.Drop);

    /// <summary>return.</summary>
    public static Verdict Return { get; } = new(VerdictKind.Return);

    /// <summary>continue.</summary>
    public static Verdict Continue { get; } = new(VerdictKind.Continue);

    /// <summary>jump to <paramref name="chain"/>.</summary>
    public static Verdict JumpTo(string chain) => new(VerdictKind.Jump, chain);

    /// <summary>goto <paramref name="chain"/>.</summary>
    public static Verdict GotoChain(string chain) => new(VerdictKind.Goto, chain);

    /// <summary>libnftnl's text: "accept", "jump -> chain".</summary>
    public override string ToString()
    {
        string code = NftNames.Verdict(Kind) ?? "unknown";
        return Chain is null ? code : $"{code} -> {Chain}";
    }
}
