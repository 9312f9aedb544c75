using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// The advice of a <see cref="DoctorFinding"/> as a sentence with typed holes: the words are the
/// doctor's, each hole is a <see cref="DoctorFix"/> (a change a program can make) or a
/// <see cref="NatTableScope"/> (the table the advice is about). <see cref="ToString"/> fills the
/// holes with <see cref="DoctorFix.Description"/> and <see cref="NatTableScope.Call"/>; a tool fills them in its own syntax with
/// <see cref="Render"/> (nfnet writes each fix as the command that makes it).
/// </summary>
public sealed class DoctorFixText
{
    private readonly object[] _holes;

    private DoctorFixText(string format, object[] holes)
    {
        Format = format;
        _holes = holes;
        Fixes = holes.OfType<DoctorFix>().ToArray();
    }

    /// <summary>The sentence as a composite format string: hole <c>{i}</c> is the i-th fix or table scope, in order.</summary>
    public string Format { get; }

    /// <summary>The changes the advice names, in the order the sentence names them.</summary>
    public IReadOnlyList<DoctorFix> Fixes { get; }

    /// <summary>The sentence with each fix written by <paramref name="fix"/> and each table scope by <paramref name="scope"/>.</summary>
    /// <param name="fix">Writes one change (for example as a command line).</param>
    /// <param name="scope">Writes the table and namespace that advice without a single change is about (may be empty).</param>
    public string Render(Func<DoctorFix, string> fix, Func<NatTableScope, string> scope)
    {
        ArgumentNullException.ThrowIfNull(fix);
        ArgumentNullException.ThrowIfNull(scope);
        object[] written = _holes.Select(h => (object)(h is DoctorFix f ? fix(f) : scope((NatTableScope)h))).ToArray();
        return string.Format(CultureInfo.InvariantCulture, Format, written);
    }

    /// <summary>The sentence with each fix as its <see cref="DoctorFix.Description"/> and each table scope as its library call (<see cref="NatTableScope.Call"/>).</summary>
    public override string ToString() => Render(f => f.Description, s => s.Call);

    /// <summary>
    /// The advice written as an interpolated string: arguments that are a <see cref="DoctorFix"/> or a
    /// <see cref="NatTableScope"/> become holes, every other argument is written into the words.
    /// </summary>
    internal static DoctorFixText Of(FormattableString text)
    {
        object?[] arguments = text.GetArguments();
        var holes = new List<object>();
        var filled = new object?[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] is DoctorFix or NatTableScope)
            {
                filled[i] = new Hole(holes.Count);
                holes.Add(arguments[i]!);
            }
            else
            {
                filled[i] = new Words(arguments[i]);
            }
        }
        return new DoctorFixText(string.Format(CultureInfo.InvariantCulture, KeepBraces(text.Format), filled), holes.ToArray());
    }

    /// <summary>
    /// The format with its escaped braces ("{{", "}}") escaped once more, so that they are still
    /// escaped after the arguments are written in; the argument holes are left as they are.
    /// </summary>
    private static string KeepBraces(string format)
    {
        var sb = new System.Text.StringBuilder(format.Length);
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                sb.Append(c, 4);
                i++;
            }
            else if (c == '{')
            {
                int end = format.IndexOf('}', i);
                sb.Append(format, i, end - i + 1);
                i = end;
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The same advice inside other words: <paramref name="before"/> + this sentence (its final
    /// period dropped) + <paramref name="after"/>, the holes unchanged.
    /// </summary>
    internal DoctorFixText Within(string before, string after) =>
        new(Escape(before) + Format.TrimEnd('.') + Escape(after), _holes);

    private static string Escape(string words) => words.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>Writes "{i}" into the format: the hole stays a hole.</summary>
    private sealed class Hole(int index) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => "{" + index.ToString(CultureInfo.InvariantCulture) + "}";
    }

    /// <summary>Writes an ordinary argument as the interpolated string would, its braces escaped.</summary>
    private sealed class Words(object? value) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) =>
            Escape(value is IFormattable f ? f.ToString(format, formatProvider) : value?.ToString() ?? string.Empty);
    }
}
