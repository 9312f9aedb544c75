using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Netfilter.Net.Cli.Output;

/// <summary>
/// nfnet's JSON writer for documents (indented), through <see cref="CliJsonContext"/>'s generated
/// code, leaving quotes, apostrophes and non-ASCII text unescaped (the output goes to a terminal, a
/// file or a pipe, never into HTML). Conntrack entries stream through <see cref="ConntrackJson"/>.
/// </summary>
internal static class JsonOutput
{
    /// <summary>Indented, for documents.</summary>
    public static CliJsonContext Indented { get; } = new(new JsonSerializerOptions(CliJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>One object per line, for streams (<c>nfnet log --json</c>).</summary>
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
