using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// A file of typed rules for <c>nfnet apply -f</c>: one canonical rule per line (what
/// <c>nfnet list</c> prints and <see cref="NatRuleParser"/> reads), blank lines and lines whose
/// first character other than blanks is '#' ignored, so the output of <c>nfnet list</c>, with its
/// <c># partial:</c> and <c># foreign:</c> notes, reads back as the rules it lists. Every bad line
/// and every pair of clashing lines is found in one pass, each with its line number.
/// </summary>
internal sealed class NatRuleFile
{
    private readonly Dictionary<NatRule, int> _lineOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> _lineOfText = new(StringComparer.Ordinal);

    private NatRuleFile(string name) => Name = name;

    /// <summary>How messages name the file: its path, or "stdin".</summary>
    public string Name { get; }

    /// <summary>The rules, in file order (a rule written twice is there twice; the table holds it once).</summary>
    public List<NatRule> Rules { get; } = new();

    /// <summary>"FILE:LINE: what is wrong", one per bad line, then one per clashing pair (naming both lines); empty when the file is good.</summary>
    public List<string> Problems { get; } = new();

    /// <summary>The line a rule was read from.</summary>
    public int LineOf(NatRule rule) => _lineOf[rule];

    /// <summary>The line of the first rule with <paramref name="text"/> as its canonical text, or null.</summary>
    public int? LineOf(string text) => _lineOfText.TryGetValue(text, out int line) ? line : null;

    /// <summary>Reads every line of <paramref name="reader"/>; problems are collected, never thrown.</summary>
    public static NatRuleFile Read(TextReader reader, string name)
    {
        var file = new NatRuleFile(name);
        int number = 0;
        while (reader.ReadLine() is string line)
        {
            number++;
            ReadOnlySpan<char> text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '#')
            {
                continue;
            }
            string rule = text.ToString();
            if (NatRuleParser.TryParse(rule, out NatRule? parsed, out string? error) && parsed is not null)
            {
                file.Rules.Add(parsed);
                file._lineOf[parsed] = number;
                file._lineOfText.TryAdd(parsed.ToString(), number);
            }
            else
            {
                file.Problems.Add($"{file.At(number)}: {error ?? "not a NAT rule"} (the line should be a rule as 'nfnet list' prints it, e.g. 'dnat tcp 2222 to 192.168.1.10:22 masquerade')");
            }
        }
        foreach (NatRuleConflict conflict in NatRuleConflict.FindAll(file.Rules))
        {
            int first = file._lineOf[conflict.First];
            int second = file._lineOf[conflict.Second];
            file.Problems.Add($"{file.At(second)}: '{conflict.Second}' clashes with line {first.ToString(CultureInfo.InvariantCulture)} '{conflict.First}': {conflict.Reason}; keep one");
        }
        return file;
    }

    private string At(int line) => Name + ":" + line.ToString(CultureInfo.InvariantCulture);
}
