using Netfilter.Net.Nat;

namespace Netfilter.Net.Diagnostics;

/// <summary>Add a typed rule to a NAT table: <c>NatTable.AddAsync(Rule)</c> on the table <see cref="Table"/> in the fix's namespace.</summary>
/// <param name="Table">The NAT table's name (family inet).</param>
/// <param name="Rule">The rule to add.</param>
public sealed record AddNatRuleFix(string Table, NatRule Rule) : DoctorFix
{
    /// <inheritdoc/>
    public override string Description => $"add '{Rule}' to table {Table}{InNamespace}";
}
