using System;

namespace Netfilter.Net;

/// <summary>
/// How the library checks a single port. A single port is an <see cref="int"/> in every public
/// signature and property, as in <see cref="System.Net.IPEndPoint.Port"/>; a range of ports is a
/// <see cref="Nat.PortRange"/>. The 16-bit wire value is an encoding detail.
/// </summary>
internal static class PortNumber
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="parameter"/> unless <paramref name="port"/> is 1–65535 (a port a rule or socket can use).</summary>
    public static ushort Validate(int port, string parameter) =>
        port is < 1 or > 65535 ? throw new ArgumentOutOfRangeException(parameter, port, "a port is 1–65535") : (ushort)port;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="parameter"/> unless <paramref name="port"/> is null or 0–65535 (any value a packet's port field can hold).</summary>
    public static int? ValidateField(int? port, string parameter) =>
        port is < 0 or > 65535 ? throw new ArgumentOutOfRangeException(parameter, port, "a port field is 0–65535") : port;
}
