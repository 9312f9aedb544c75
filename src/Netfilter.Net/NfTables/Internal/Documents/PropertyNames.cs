using System;

namespace Netfilter.Net.NfTables.Internal.Documents;

/// <summary>
/// The property names of a ruleset document, matched on the UTF-8 bytes as they stream in, so a
/// name becomes a shared string (for the reader's switch and for messages) without allocating.
/// </summary>
internal static class PropertyNames
{
    private static readonly string[] s_names =
    {
        "format", "version", "generation", "tables",
        "family", "name", "flags", "userdata", "comment", "chains", "objects", "flowtables", "sets", "rules",
        "hook", "type", "policy", "number", "hookName", "priority", "device", "devices",
        "data", "debug",
        "keyType", "keyLength", "dataType", "dataLength", "objectType", "size", "concat", "timeout", "gcInterval", "expressions", "elements",
        "key", "keyEnd", "verdict", "objectReference", "expiration", "kind", "chain", "handle",
    };

    private static readonly byte[][] s_utf8 = Array.ConvertAll(s_names, System.Text.Encoding.UTF8.GetBytes);

    /// <summary>The document's name for the current property, or null for a name the document does not use.</summary>
    public static string? Of(JsonStreamReader json)
    {
        ReadOnlySpan<byte> raw = json.RawValue;
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            string name = json.GetString();
            return Array.IndexOf(s_names, name) >= 0 ? name : null;
        }
        for (int i = 0; i < s_utf8.Length; i++)
        {
            byte[] candidate = s_utf8[i];
            if (candidate.Length == raw.Length && candidate[0] == raw[0] && raw.SequenceEqual(candidate))
            {
                return s_names[i];
            }
        }
        return null;
    }
}
