using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Netfilter.Net.Nat;

/// <summary>A port or an inclusive range of ports, 1–65535, first ≤ last.</summary>
/// <remarks>A single port is an <see cref="int"/> everywhere in the library (as in
/// <see cref="System.Net.IPEndPoint.Port"/>); an <see cref="int"/> converts to a one-port range.</remarks>
public readonly record struct PortRange
{
    /// <summary>The range <paramref name="first"/>–<paramref name="last"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A port is 0, or first &gt; last.</exception>
    public PortRange(int first, int last)
    {
        if (first is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, "a port is 1–65535");
        }
        if (last is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, "a port is 1–65535");
        }
        if (first > last)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, $"a port range is ordered: {first}-{last} ends before it starts");
        }
        First = first;
        Last = last;
    }

    /// <summary>One port.</summary>
    public static PortRange Single(int port) => new(port, port);

    /// <summary>One port: <c>PortRange ports = 80;</c> is <c>PortRange.Single(80)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is not 1–65535.</exception>
    public static implicit operator PortRange(int port) => Single(port);

    /// <summary>Parses "80" or "8000-8100".</summary>
    /// <exception cref="ArgumentException">Not a port or range (the message says why, as <see cref="TryParse(string?, out PortRange, out string?)"/>'s error).</exception>
    public static PortRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out PortRange range, out string? error) ? range : throw new ArgumentException(error, nameof(text));
    }

    /// <summary>Parses "80" or "8000-8100"; false (and <c>default</c>) when <paramref name="text"/> is not a port or range of ports 1–65535, first ≤ last.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PortRange range) => TryParse(text, out range, out _);

    /// <summary>
    /// Parses "80" or "8000-8100"; false with <paramref name="error"/> saying what is wrong and
    /// what would be right (a reversed range names the order meant: <c>write 80-90</c>), for a
    /// caller that shows it to a user, as nfnet's <c>--port</c> does.
    /// </summary>
    /// <param name="text">The port or range.</param>
    /// <param name="range">The range (<c>default</c> when false).</param>
    /// <param name="error">Null when true; else the problem, quoting <paramref name="text"/>.</param>
    public static bool TryParse([NotNullWhen(true)] string? text, out PortRange range, [NotNullWhen(false)] out string? error)
    {
        range = default;
        string[] parts = (text ?? string.Empty).Split('-');
        if (parts.Length > 2)
        {
            error = $"{InputText.Quote(text!)} is not a port (80) or a port range (8000-8100)";
            return false;
        }
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
            || (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            error = $"{InputText.Quote(text ?? string.Empty)} is not a port (80) or a port range (8000-8100); ports are 1-65535";
            return false;
        }
        int last = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : first;
        if (first is < 1 or > 65535 || last is < 1 or > 65535)
        {
            error = $"{InputText.Quote(text!)} is not a port (80) or a port range (8000-8100); ports are 1-65535";
            return false;
        }
        if (first > last)
        {
            error = $"the range {InputText.Quote(text!)} ends before it starts: write {last}-{first}";
            return false;
        }
        range = new PortRange(first, last);
        error = null;
        return true;
    }

    /// <summary>The first port, 1–65535 (0 only in <c>default(PortRange)</c>, which no rule accepts).</summary>
    public int First { get; }

    /// <summary>The last port (equal to <see cref="First"/> for one port).</summary>
    public int Last { get; }

    /// <summary>True for one port.</summary>
    public bool IsSingle => First == Last;

    /// <summary>Number of ports.</summary>
    public int Count => Last - First + 1;

    /// <summary>"80" or "8000-8100".</summary>
    public override string ToString() => IsSingle ? First.ToString(CultureInfo.InvariantCulture) : $"{First}-{Last}";
}
