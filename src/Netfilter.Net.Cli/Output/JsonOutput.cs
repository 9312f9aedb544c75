using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Netfilter.Net.Cli.Output;

/// <summary>Writes one JSON document per command, followed by a newline.</summary>
internal static class JsonOutput
{
    public static void Write<T>(TextWriter output, T value, JsonTypeInfo<T> type)
    {
        output.WriteLine(JsonSerializer.Serialize(value, type));
    }
}
