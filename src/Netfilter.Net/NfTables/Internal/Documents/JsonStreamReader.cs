using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.NfTables.Internal.Documents;

/// <summary>
/// JSON tokens read from a stream as it arrives: <see cref="Utf8JsonReader"/> over a pooled
/// buffer that is refilled when a token does not fit what was read so far. Memory is bounded by
/// the longest token (<c>maxTokenBytes</c>), and the whole input by <c>maxBytes</c>, so a
/// document of any size, or an endless stream, never grows the process beyond those.
/// </summary>
internal sealed class JsonStreamReader : IDisposable
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "The caller's stream: the caller disposes it.")]
    private readonly Stream _stream;
    private readonly long _maxBytes;
    private readonly int _maxTokenBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state;
    private long _read;
    private int _line = 1;
    private int _valueStart;
    private int _valueLength;
    private bool _escaped;

    public JsonStreamReader(Stream stream, long maxBytes, int maxTokenBytes)
    {
        _stream = stream;
        _maxBytes = maxBytes;
        _maxTokenBytes = maxTokenBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(64 * 1024, maxTokenBytes));
        _state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
    }

    /// <summary>The type of the current token.</summary>
    public JsonTokenType TokenType { get; private set; }

    /// <summary>The line the current token ends on (1-based), for messages.</summary>
    public int Line => _line;

    /// <summary>Reads the next token; false at the end of the input.</summary>
    /// <exception cref="JsonReaderLimitException">The input or a token is larger than allowed.</exception>
    /// <exception cref="JsonException">The input is not JSON (the message has no position: use <see cref="Line"/>).</exception>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadToken())
            {
                return true;
            }
            if (_final)
            {
                return false;
            }
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryReadToken()
    {
        if (_final && _buffer.AsSpan(_start, _end - _start).IndexOfAnyExcept(" \t\r\n,"u8) < 0)
        {
            // Only blanks (or a comma before them) are left: the end of the input. The caller
            // says whether it came too soon, and where.
            return false;
        }
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        bool read = reader.Read();
        int consumed = (int)reader.BytesConsumed;
        if (read)
        {
            TokenType = reader.TokenType;
            bool quoted = reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName;
            _valueStart = _start + (int)reader.TokenStartIndex + (quoted ? 1 : 0);
            _valueLength = reader.ValueSpan.Length;
            _escaped = quoted && reader.ValueIsEscaped;
        }
        _line += _buffer.AsSpan(_start, consumed).Count((byte)'\n');
        _start += consumed;
        _state = reader.CurrentState;
        return read;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        int remaining = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, remaining).CopyTo(_buffer);
            _start = 0;
            _end = remaining;
        }
        if (_end == _buffer.Length)
        {
            // One token fills the whole buffer and is not complete yet.
            if (_buffer.Length >= _maxTokenBytes)
            {
                throw new JsonReaderLimitException($"holds a value longer than {_maxTokenBytes} bytes, more than any part of a ruleset takes");
            }
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxTokenBytes));
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        int n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            _final = true;
            return;
        }
        _end += n;
        _read += n;
        if (_read > _maxBytes)
        {
            throw new JsonReaderLimitException($"is larger than {_maxBytes} bytes, the limit (RulesetDocumentReadOptions.MaxBytes)");
        }
    }

    /// <summary>The current string or property name as it is in the input (escapes not resolved).</summary>
    public ReadOnlySpan<byte> RawValue => _buffer.AsSpan(_valueStart, _valueLength);

    /// <summary>The current string's length in the input, before unescaping.</summary>
    public int RawLength => _valueLength;

    /// <summary>True when the current property name is <paramref name="name"/>.</summary>
    public bool NameIs(ReadOnlySpan<byte> name) =>
        _escaped ? Encoding.UTF8.GetBytes(GetString()).AsSpan().SequenceEqual(name) : RawValue.SequenceEqual(name);

    /// <summary>The current string or property name.</summary>
    public string GetString()
    {
        if (!_escaped)
        {
            return Encoding.UTF8.GetString(RawValue);
        }
        // The quoted token, alone, is a complete JSON text that the reader unescapes.
        var reader = new Utf8JsonReader(_buffer.AsSpan(_valueStart - 1, _valueLength + 2), isFinalBlock: true, state: default);
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>The current string's UTF-8 bytes with escapes resolved: the input itself when it has none, else a copy into <paramref name="scratch"/>.</summary>
    public ReadOnlySpan<byte> GetUtf8(ref byte[] scratch)
    {
        if (!_escaped)
        {
            return RawValue;
        }
        if (scratch.Length < _valueLength)
        {
            scratch = new byte[_valueLength];
        }
        var reader = new Utf8JsonReader(_buffer.AsSpan(_valueStart - 1, _valueLength + 2), isFinalBlock: true, state: default);
        reader.Read();
        int written = reader.CopyString(scratch);
        return scratch.AsSpan(0, written);
    }

    /// <summary>The current number as an unsigned integer, if it is one that fits.</summary>
    public bool TryGetUInt64(out ulong value)
    {
        value = 0;
        return TokenType == JsonTokenType.Number && Utf8Parser.TryParse(RawValue, out value, out int used) && used == _valueLength;
    }

    /// <summary>The current number as a signed integer, if it is one that fits.</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        return TokenType == JsonTokenType.Number && Utf8Parser.TryParse(RawValue, out value, out int used) && used == _valueLength;
    }

    /// <summary>Skips the current value (after a property name: the value that follows), nested or not.</summary>
    public async ValueTask SkipAsync(CancellationToken cancellationToken)
    {
        if (TokenType == JsonTokenType.PropertyName)
        {
            await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        if (TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }
        int depth = 1;
        while (depth > 0 && await ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                depth++;
            }
            else if (TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                depth--;
            }
        }
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>The input, or one token of it, is larger than the reader allows.</summary>
internal sealed class JsonReaderLimitException : Exception
{
    public JsonReaderLimitException(string problem)
        : base(problem)
    {
    }
}
