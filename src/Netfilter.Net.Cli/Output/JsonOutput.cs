using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Netfilter.Net.Cli.Output;

/// <summary>
/// nfnet's JSON writers: indented documents for read commands and ruleset files, one object per
/// line for <c>conntrack watch --json</c>. Both use <see cref="CliJsonContext"/>'s generated code
/// and leave quotes, apostrophes and non-ASCII text unescaped (the output goes to a terminal, a
/// file or a pipe, never into HTML).
/// </summary>
internal static class JsonOutput
{
    /// <summary>Indented, for documents.</summary>
    public static CliJsonContext Indented { get; } = new(new JsonSerializerOptions(CliJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>One line per value, for streams.</summary>
    public static CliJsonContext Lines { get; } = new(new JsonSerializerOptions(CliJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    });

    public static void Write<T>(TextWriter output, T value, JsonTypeInfo<T> type)
    {
        output.WriteLine(JsonSerializer.Serialize(value, type));
    }
}
