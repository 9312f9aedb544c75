using System;
using System.Buffers;
using System.IO;
using System.Text;
using System.Text.Json;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Cli.Output;

/// <summary>
/// Where <c>conntrack list</c> and <c>conntrack watch</c> write: standard output through one
/// buffer, as text lines (<see cref="ConntrackText"/>) or JSON (<see cref="ConntrackJson"/>), an
/// entry at a time as the dump decodes it. Nothing holds the table: memory does not grow with
/// the number of entries. <c>list --json</c> is one indented document; <c>watch --json</c> is one
/// object per line, a streamed snapshot being one line written entry by entry.
/// </summary>
internal sealed class ConntrackOutput : IDisposable
{
    /// <summary>Bytes gathered before they are written out (one write(2) per this many bytes).</summary>
    private const int BufferSize = 64 * 1024;

    private static readonly byte[] s_newline = { (byte)'\n' };
    private static readonly JsonEncodedText s_snapshot = JsonEncodedText.Encode("snapshot");

    private readonly Stream _stream;
    private readonly StreamWriter? _text;
    private readonly Utf8JsonWriter? _json;
    private readonly ArrayBufferWriter<char> _line = new(256);
    private bool _inSnapshot;

    private ConntrackOutput(Stream stream, bool json, bool indented)
    {
        _stream = stream;
        if (json)
        {
            _json = new Utf8JsonWriter(stream, ConntrackJson.Options(indented));
        }
        else
        {
            _text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize) { AutoFlush = false };
        }
    }

    /// <summary>Opens standard output, after what <paramref name="before"/> (Console.Out) holds.</summary>
    public static ConntrackOutput Open(TextWriter before, bool json, bool indented)
    {
        before.Flush();
        return new ConntrackOutput(Console.OpenStandardOutput(), json, indented);
    }

    /// <summary>Entries written since the last <see cref="BeginList"/> or snapshot start.</summary>
    public int Count { get; private set; }

    // --- conntrack list ---

    /// <summary>JSON: <c>{ "namespace": ..., "entries": [</c>. Text: nothing.</summary>
    public void BeginList(string? namespaceName)
    {
        Count = 0;
        if (_json is not null)
        {
            _json.WriteStartObject();
            if (namespaceName is not null)
            {
                _json.WriteString(ConntrackJson.Namespace, namespaceName);
            }
            _json.WriteStartArray(ConntrackJson.Entries);
        }
    }

    /// <summary>One entry of a list or snapshot: a text line (after <paramref name="textPrefix"/>), or an ENTRY object of the open array.</summary>
    public void Entry(ConntrackEntry entry, string? textPrefix = null)
    {
        Count++;
        if (_json is not null)
        {
            ConntrackJson.WriteEntry(_json, entry);
            if (_json.BytesPending >= BufferSize)
            {
                _json.Flush();
            }
            return;
        }
        WriteTextLine(textPrefix, entry);
    }

    /// <summary>JSON: closes the array and the document. Flushes either way.</summary>
    public void EndList()
    {
        if (_json is not null)
        {
            _json.WriteEndArray();
            _json.WriteEndObject();
            EndJsonLine();
        }
        Flush();
    }

    // --- conntrack watch ---

    /// <summary>A streamed snapshot starts. JSON: the line <c>{"type":"snapshot","entries":[</c> is opened. Text: <paramref name="header"/>.</summary>
    public void BeginSnapshot(string header)
    {
        CloseSnapshot();
        Count = 0;
        _inSnapshot = true;
        if (_json is not null)
        {
            _json.WriteStartObject();
            _json.WriteString(ConntrackJson.Type, s_snapshot);
            _json.WriteStartArray(ConntrackJson.Entries);
            return;
        }
        _text!.Write(header);
        _text.Write('\n');
    }

    /// <summary>The streamed snapshot is complete: JSON closes its line; text prints <paramref name="footer"/>. Flushes.</summary>
    public void EndSnapshot(string footer)
    {
        if (_json is null && _inSnapshot)
        {
            _text!.Write(footer);
            _text.Write('\n');
        }
        CloseSnapshot();
        Flush();
    }

    /// <summary>One event (new, update, destroy, lost) on its own line, written out at once. Text: <paramref name="text"/>, followed by the entry's line when there is one.</summary>
    public void Event(string type, ConntrackEntry? entry, string text)
    {
        CloseSnapshot();
        if (_json is not null)
        {
            _json.WriteStartObject();
            _json.WriteString(ConntrackJson.Type, type);
            if (entry is not null)
            {
                _json.WritePropertyName(ConntrackJson.Entry);
                ConntrackJson.WriteEntry(_json, entry);
            }
            _json.WriteEndObject();
            EndJsonLine();
        }
        else if (entry is not null)
        {
            WriteTextLine(text, entry);
        }
        else
        {
            _text!.Write(text);
            _text.Write('\n');
        }
        Flush();
    }

    /// <summary>Writes out what is buffered.</summary>
    public void Flush()
    {
        _json?.Flush();
        _text?.Flush();
    }

    public void Dispose()
    {
        Flush();
        _json?.Dispose();
        _text?.Dispose();
        _stream.Dispose();
    }

    private void WriteTextLine(string? prefix, ConntrackEntry entry)
    {
        _line.ResetWrittenCount();
        if (prefix is not null)
        {
            _line.Write(prefix.AsSpan());
        }
        ConntrackText.WriteLine(_line, entry);
        _text!.Write(_line.WrittenSpan);
        _text.Write('\n');
    }

    /// <summary>A snapshot interrupted (by a loss) before its end still closes its JSON line.</summary>
    private void CloseSnapshot()
    {
        if (!_inSnapshot)
        {
            return;
        }
        _inSnapshot = false;
        if (_json is not null)
        {
            _json.WriteEndArray();
            _json.WriteEndObject();
            EndJsonLine();
        }
    }

    /// <summary>Ends a top-level JSON value with a newline; the writer starts afresh for the next one.</summary>
    private void EndJsonLine()
    {
        _json!.Flush();
        _stream.Write(s_newline);
        _json.Reset(_stream);
    }
}
