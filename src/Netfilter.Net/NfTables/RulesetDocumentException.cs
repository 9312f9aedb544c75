using System;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A ruleset document cannot be read: it is not JSON, not a ruleset document of a version this
/// library reads, larger than allowed, or it holds a value the kernel would refuse (a name longer
/// than 255 bytes, a NUL in a name, more than 256 bytes of userdata, a key longer than 64 bytes...).
/// <see cref="Path"/> says where, as a person finds it in the file: <c>tables[0].sets[11].elements[1].key</c>.
/// Nothing was sent to the kernel when this is thrown.
/// </summary>
public sealed class RulesetDocumentException : FormatException
{
    /// <summary>Describes a problem at <paramref name="path"/> on <paramref name="line"/>.</summary>
    /// <param name="path">Where in the document: <c>tables[0].rules[3].expressions[1]</c>; empty for the document as a whole.</param>
    /// <param name="problem">What is wrong there, e.g. "holds 65 bytes; a key is 1 to 64".</param>
    /// <param name="line">The line of the input the reader had reached (1-based), or 0 when unknown.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public RulesetDocumentException(string path, string problem, int line = 0, Exception? innerException = null)
        : base(Describe(path, problem, line), innerException)
    {
        Path = path ?? string.Empty;
        Problem = problem ?? string.Empty;
        Line = line;
    }

    /// <summary>Where in the document, as a JSON path (<c>tables[0].name</c>); empty for the document as a whole.</summary>
    public string Path { get; }

    /// <summary>What is wrong at <see cref="Path"/>, without the path.</summary>
    public string Problem { get; }

    /// <summary>The line of the input the reader had reached (1-based), or 0 when unknown.</summary>
    public int Line { get; }

    private static string Describe(string path, string problem, int line)
    {
        string text = string.IsNullOrEmpty(path) ? problem : $"{path} {problem}";
        return line > 0 ? $"{text} (line {line})" : text;
    }
}
