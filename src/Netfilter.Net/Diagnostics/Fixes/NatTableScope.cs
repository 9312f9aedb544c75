namespace Netfilter.Net.Diagnostics;

/// <summary>
/// The NAT table, and the namespace, that a piece of advice in a <see cref="DoctorFixText"/> is
/// about when it names no single change (for example "apply the rules again"): a tool shows it
/// the way its users choose a table (nfnet as <c>--table NAME --netns NAME</c>).
/// </summary>
/// <param name="Table">The NAT table's name (family inet).</param>
/// <param name="NamespaceName">The namespace's name, or null for the current one.</param>
public sealed record NatTableScope(string Table, string? NamespaceName);
