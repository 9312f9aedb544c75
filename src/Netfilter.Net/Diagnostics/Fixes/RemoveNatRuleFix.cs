using Netfilter.Net.Nat;

namespace Netfilter.Net.Diagnostics;

/// <summary>Remove a typed rule from a NAT table: <c>NatTable.RemoveAsync(Rule)</c> on the table <see cref="Table"/> in the fix's namespace.</summary>
/// <param name="Table">The NAT table's name (family inet).</param>
/// <param name="Rule">The rule to remove.</param>
public sealed record RemoveNatRuleFix(string Table, NatRule Rule) : DoctorFix
{
    /// <inheritdoc/>
    public override string Description => $"remove '{Rule}' from table {Table}{InNamespace}";
}
