namespace Netfilter.Net.Diagnostics;

/// <summary>What a piece of advice asks to do with a NAT table (<see cref="NatTableScope.Action"/>), so each tool can name its own way of doing it.</summary>
public enum NatTableAction
{
    /// <summary>Nothing of its own: the table and namespace the words are about (a tool writes its options for them, the library nothing).</summary>
    None,

    /// <summary>Use a table of this name instead: <c>new NatTable(name)</c>.</summary>
    Open,

    /// <summary>Have the doctor examine a table of this name: <c>new DoctorOptions { Table = name }</c>.</summary>
    Examine,

    /// <summary>Add a typed rule of the user's choice to the table: <c>NatTable.AddAsync</c>.</summary>
    AddRule,

    /// <summary>Apply the rules the user wants to the table: <c>NatTable.ApplyAsync</c>.</summary>
    ApplyRules,

    /// <summary>List the table's typed rules: <c>NatTable.ListAsync</c>.</summary>
    ListRules,
}
