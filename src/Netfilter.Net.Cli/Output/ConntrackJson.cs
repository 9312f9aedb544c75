using System;
using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Cli.Output;

/// <summary>
/// Writes conntrack entries as JSON straight from the decoded <see cref="ConntrackEntry"/>, one
/// at a time, into a <see cref="Utf8JsonWriter"/> (for <c>conntrack list --json</c> and
/// <c>watch --json</c>): no object per entry beyond what the dump decoded, no list of the table,
/// so the output streams in constant memory. The shape is the README's ENTRY: camelCase, fields
/// that do not apply left out.
/// </summary>
internal static class ConntrackJson
{
    private static readonly JsonEncodedText s_family = JsonEncodedText.Encode("family");
    private static readonly JsonEncodedText s_protocol = JsonEncodedText.Encode("protocol");
    private static readonly JsonEncodedText s_original = JsonEncodedText.Encode("original");
    private static readonly JsonEncodedText s_reply = JsonEncodedText.Encode("reply");
    private static readonly JsonEncodedText s_source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText s_destination = JsonEncodedText.Encode("destination");
    private static readonly JsonEncodedText s_sourcePort = JsonEncodedText.Encode("sourcePort");
    private static readonly JsonEncodedText s_destinationPort = JsonEncodedText.Encode("destinationPort");
    private static readonly JsonEncodedText s_icmpType = JsonEncodedText.Encode("icmpType");
    private static readonly JsonEncodedText s_icmpCode = JsonEncodedText.Encode("icmpCode");
    private static readonly JsonEncodedText s_icmpId = JsonEncodedText.Encode("icmpId");
    private static readonly JsonEncodedText s_state = JsonEncodedText.Encode("state");
    private static readonly JsonEncodedText s_timeout = JsonEncodedText.Encode("timeout");
    private static readonly JsonEncodedText s_status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText s_mark = JsonEncodedText.Encode("mark");
    private static readonly JsonEncodedText s_zone = JsonEncodedText.Encode("zone");
    private static readonly JsonEncodedText s_id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText s_translation = JsonEncodedText.Encode("translation");
    private static readonly JsonEncodedText s_originalSource = JsonEncodedText.Encode("originalSource");
    private static readonly JsonEncodedText s_originalDestination = JsonEncodedText.Encode("originalDestination");
    private static readonly JsonEncodedText s_translatedDestination = JsonEncodedText.Encode("translatedDestination");
    private static readonly JsonEncodedText s_translatedSource = JsonEncodedText.Encode("translatedSource");
    private static readonly JsonEncodedText s_destinationTranslated = JsonEncodedText.Encode("destinationTranslated");
    private static readonly JsonEncodedText s_sourceTranslated = JsonEncodedText.Encode("sourceTranslated");
    private static readonly JsonEncodedText s_text = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText s_ipv4 = JsonEncodedText.Encode("ipv4");
    private static readonly JsonEncodedText s_ipv6 = JsonEncodedText.Encode("ipv6");

    // The names every entry repeats, encoded once: written as they are, with no transcoding or
    // escaping check per entry (the JSON writer is the largest part of nfnet's own CPU in a
    // 100,000-entry list --json; native-tests/Netfilter.Net.Benchmarks/README.md).
    private static readonly int[] s_protocolNumbers = { 6, 17, 1, 58, 132, 33, 136, 47 };
    private static readonly JsonEncodedText[] s_protocols = EncodeEach(s_protocolNumbers, p => ConntrackText.Protocol((System.Net.Sockets.ProtocolType)p));
    private static readonly JsonEncodedText[] s_states = EncodeEach(Indexes(10), s => ConntrackText.State((TcpConntrackState)s));
    private static readonly JsonEncodedText[] s_statusNames = EncodeEach(Indexes(ConntrackText.StatusNameCount), ConntrackText.StatusName);

    [ThreadStatic]
    private static ArrayBufferWriter<char>? t_text;

    /// <summary>Property names: "namespace", "entries", "type", "entry".</summary>
    public static readonly JsonEncodedText Namespace = JsonEncodedText.Encode("namespace");
    public static readonly JsonEncodedText Entries = JsonEncodedText.Encode("entries");
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText Entry = JsonEncodedText.Encode("entry");

    /// <summary>
    /// The writer options of nfnet's JSON: quotes, apostrophes and non-ASCII text unescaped (the
    /// output goes to a terminal, a file or a pipe, never into HTML), as <see cref="JsonOutput"/>.
    /// </summary>
    /// <remarks>
    /// Validation is off: the writer's structure is fixed by <see cref="WriteEntry"/> and
    /// <see cref="ConntrackOutput"/> (tests/Netfilter.Net.Tests/Cli/ConntrackOutputTests pins the
    /// documents), and checking every token of 100,000 entries is work that can find nothing.
    /// </remarks>
    public static JsonWriterOptions Options(bool indented) => new()
    {
        Indented = indented,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Writes one ENTRY object.</summary>
    public static void WriteEntry(Utf8JsonWriter writer, ConntrackEntry entry)
    {
        Span<byte> buffer = stackalloc byte[64];
        writer.WriteStartObject();
        writer.WriteString(s_family, entry.Family == NetfilterFamily.IPv6 ? s_ipv6 : s_ipv4);
        int protocol = Array.IndexOf(s_protocolNumbers, (int)entry.Protocol);
        if (protocol >= 0)
        {
            writer.WriteString(s_protocol, s_protocols[protocol]);
        }
        else
        {
            writer.WriteString(s_protocol, ConntrackText.Protocol(entry.Protocol));
        }
        writer.WritePropertyName(s_original);
        WriteTuple(writer, entry.Original, buffer);
        writer.WritePropertyName(s_reply);
        WriteTuple(writer, entry.Reply, buffer);
        if (entry.ProtocolInfo is TcpConntrackInfo { State: TcpConntrackState state } && (int)state < s_states.Length)
        {
            writer.WriteString(s_state, s_states[(int)state]); // the common case, encoded once
        }
        else if (ConntrackText.State(entry.ProtocolInfo) is string other)
        {
            writer.WriteString(s_state, other);
        }
        if (entry.Timeout is TimeSpan timeout)
        {
            writer.WriteNumber(s_timeout, (long)timeout.TotalSeconds);
        }
        writer.WriteStartArray(s_status);
        ConntrackText.ForEachStatus(entry.Status, writer, static (w, index, name) =>
        {
            if (index >= 0)
            {
                w.WriteStringValue(s_statusNames[index]);
            }
            else
            {
                w.WriteStringValue(name);
            }
        });
        writer.WriteEndArray();
        writer.WriteNumber(s_mark, entry.Mark);
        writer.WriteNumber(s_zone, entry.Zone);
        if (entry.Id is uint id)
        {
            writer.WriteNumber(s_id, id);
        }
        if (ConntrackText.Translation(entry) is { } nat)
        {
            writer.WriteStartObject(s_translation);
            writer.WriteString(s_originalSource, Endpoint(buffer, entry.Original.Source, nat.OriginalSourcePort, nat.HasPorts));
            writer.WriteString(s_originalDestination, Endpoint(buffer, entry.Original.Destination, nat.OriginalDestinationPort, nat.HasPorts));
            writer.WriteString(s_translatedDestination, Endpoint(buffer, entry.Reply.Source, nat.TranslatedDestinationPort, nat.HasPorts));
            writer.WriteString(s_translatedSource, Endpoint(buffer, entry.Reply.Destination, nat.TranslatedSourcePort, nat.HasPorts));
            writer.WriteBoolean(s_destinationTranslated, nat.DestinationTranslated);
            writer.WriteBoolean(s_sourceTranslated, nat.SourceTranslated);
            ArrayBufferWriter<char> text = t_text ??= new ArrayBufferWriter<char>(256);
            text.ResetWrittenCount();
            ConntrackText.WriteTranslation(text, entry, nat);
            writer.WriteString(s_text, text.WrittenSpan);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteTuple(Utf8JsonWriter writer, ConntrackTuple tuple, Span<byte> buffer)
    {
        writer.WriteStartObject();
        writer.WriteString(s_source, Address(buffer, tuple.Source));
        writer.WriteString(s_destination, Address(buffer, tuple.Destination));
        if (tuple.SourcePort is int sourcePort)
        {
            writer.WriteNumber(s_sourcePort, sourcePort);
        }
        if (tuple.DestinationPort is int destinationPort)
        {
            writer.WriteNumber(s_destinationPort, destinationPort);
        }
        if (tuple.IcmpType is byte type)
        {
            writer.WriteNumber(s_icmpType, type);
        }
        if (tuple.IcmpCode is byte code)
        {
            writer.WriteNumber(s_icmpCode, code);
        }
        if (tuple.IcmpId is ushort icmpId)
        {
            writer.WriteNumber(s_icmpId, icmpId);
        }
        writer.WriteEndObject();
    }

    private static int[] Indexes(int count)
    {
        int[] numbers = new int[count];
        for (int i = 0; i < count; i++)
        {
            numbers[i] = i;
        }
        return numbers;
    }

    private static JsonEncodedText[] EncodeEach(int[] keys, Func<int, string> name) =>
        Array.ConvertAll(keys, k => JsonEncodedText.Encode(name(k), System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping));

    /// <summary>The address as UTF-8 (what the writer writes), formatted in place.</summary>
    private static ReadOnlySpan<byte> Address(Span<byte> buffer, IPAddress address) =>
        address.TryFormat(buffer, out int written) ? buffer[..written] : System.Text.Encoding.UTF8.GetBytes(address.ToString());

    /// <summary>"ADDR:PORT" (IPv6 in brackets) as UTF-8, the address alone for protocols without ports.</summary>
    private static ReadOnlySpan<byte> Endpoint(Span<byte> buffer, IPAddress address, int port, bool hasPorts)
    {
        int n = 0;
        bool v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (hasPorts && v6)
        {
            buffer[n++] = (byte)'[';
        }
        address.TryFormat(buffer[n..], out int written);
        n += written;
        if (hasPorts)
        {
            if (v6)
            {
                buffer[n++] = (byte)']';
            }
            buffer[n++] = (byte)':';
            port.TryFormat(buffer[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
        }
        return buffer[..n];
    }
}
