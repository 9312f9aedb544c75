using System;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// An attribute this library does not model (a newer kernel's, or one such as CTA_SYNPROXY),
/// kept as it came: its type without the NLA_F_* flag bits, and its payload.
/// </summary>
/// <param name="Type">The CTA_* attribute type.</param>
/// <param name="Payload">The payload bytes (nested attributes stay encoded).</param>
public readonly record struct ConntrackRawAttribute(ushort Type, ReadOnlyMemory<byte> Payload);
