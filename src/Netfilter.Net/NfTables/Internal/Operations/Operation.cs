using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>
/// One operation of a transaction: validated when it is added, written into the batch as one
/// message (or, for many set elements, several) when the transaction is committed.
/// </summary>
internal abstract class Operation
{
    private string? _description;

    protected Operation(Command kind) => Kind = kind;

    /// <summary>The message type, flags and nft verb the operation is sent with.</summary>
    public Command Kind { get; }

    /// <summary>What the operation does, in nft's words: "add rule ip nat pre", "delete set inet t s".</summary>
    public string Description => _description ??= Describe();

    /// <summary>True when the operation adds a rule and asks for its echo (NLM_F_ECHO) to learn the new handle.</summary>
    public virtual bool EchoesHandle => false;

    /// <summary>Writes the operation's message(s) into <paramref name="batch"/>.</summary>
    public abstract void Write(NfnetlinkBatch batch);

    /// <summary>
    /// For rules: the index of the expression whose NFTA_LIST_ELEM contains
    /// <paramref name="offset"/> (bytes from the start of the message, as in
    /// NLMSGERR_ATTR_OFFS); null when the offset is not inside an expression.
    /// </summary>
    public virtual int? ExpressionAt(uint offset) => null;

    /// <summary>For rules: the kernel name of expression <paramref name="index"/>.</summary>
    public virtual string? ExpressionName(int index) => null;

    /// <summary>
    /// The version-dependent kernel features the operation's message uses (of expression
    /// <paramref name="expressionIndex"/> alone when the kernel pointed at one): here those of its
    /// message type (<see cref="Command.Features"/>: a destroy needs Linux 6.3); an override adds
    /// what its message carries.
    /// </summary>
    public virtual IEnumerable<KernelFeature> Features(int? expressionIndex) => Kind.Features;

    /// <summary>
    /// The feature whose absence explains the kernel's refusal of this operation with
    /// <paramref name="errno"/> (the extended ack pointing at <paramref name="offset"/>, inside
    /// expression <paramref name="expressionIndex"/>) on a kernel of version
    /// <paramref name="kernel"/>; null when none does, and the errno stands as it is.
    /// </summary>
    public virtual KernelFeature? MissingFeature(Errno errno, uint? offset, int? expressionIndex, Version kernel)
    {
        foreach (KernelFeature feature in Features(expressionIndex))
        {
            if (feature.ExplainsRefusal(errno, kernel))
            {
                return feature;
            }
        }
        return null;
    }

    /// <summary>The <see cref="Description"/>.</summary>
    public override string ToString() => Description;

    protected abstract string Describe();
}
