namespace Netfilter.Net.Diagnostics;

/// <summary>
/// The NAT table, and the namespace, that a piece of advice in a <see cref="DoctorFixText"/> is
/// about when it names no single change (for example "apply the rules again"), and what it asks to
/// do with that table (<see cref="Action"/>). The library writes it as the call that does it
/// (<see cref="Call"/>); a tool writes it as its own command (nfnet as <c>nfnet list --table NAME --netns NAME</c>).
/// </summary>
/// <param name="Table">The NAT table's name (family inet).</param>
/// <param name="NamespaceName">The namespace's name, or null for the current one.</param>
public sealed record NatTableScope(string Table, string? NamespaceName)
{
    /// <summary>What the advice asks to do with the table; <see cref="NatTableAction.None"/> (the default) when the words say it all.</summary>
    public NatTableAction Action { get; init; }

    /// <summary>
    /// The library call that does <see cref="Action"/>: <c>new NatTable("NAME")</c>,
    /// <c>new DoctorOptions { Table = "NAME" }</c>, <c>NatTable.AddAsync</c>, <c>NatTable.ApplyAsync</c> or
    /// <c>NatTable.ListAsync</c>; empty for <see cref="NatTableAction.None"/>.
    /// </summary>
    public string Call => Action switch
    {
        NatTableAction.Open => $"new NatTable(\"{Table}\")",
        NatTableAction.Examine => $"new DoctorOptions {{ Table = \"{Table}\" }}",
        NatTableAction.AddRule => "NatTable.AddAsync",
        NatTableAction.ApplyRules => "NatTable.ApplyAsync",
        NatTableAction.ListRules => "NatTable.ListAsync",
        _ => string.Empty,
    };
}
