namespace Netfilter.Net.Diagnostics;

/// <summary>What a 4-byte register unit holds: part of a field that starts at <see cref="Start"/>.</summary>
internal readonly record struct RegisterField(FieldKind Kind, int Length, int Start, string Name, uint Mask);
