using System.Buffers.Binary;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// Compares what the library would send for a decoded kernel dump with the dump itself. The two
/// cannot be byte-identical, for reasons that do not change meaning (FORMAT.md 2.7 and the
/// captures): the kernel sets no NLA_F_NESTED on most nests, it dumps attributes in its own
/// order (fib: DREG, RESULT, FLAGS where nft sends FLAGS, RESULT, DREG), and it NUL-terminates
/// strings that libnftnl sends without (objref names, ct helper names). Everything else must
/// match: the same attributes with the same payloads, at every level.
/// </summary>
internal static class KernelDumpComparison
{
    /// <summary>
    /// The differences between two attribute lists, compared as multisets of (type, payload) at
    /// every level: an attribute that <paramref name="ours"/> flags NLA_F_NESTED is compared
    /// recursively with the kernel's attribute of the same type, anything else byte for byte,
    /// except that a payload equal to the other plus one trailing NUL is accepted. Empty when
    /// they are equivalent.
    /// </summary>
    public static List<string> Differences(ReadOnlySpan<byte> ours, ReadOnlySpan<byte> kernel, string path = "")
    {
        List<(ushort Type, bool Nested, byte[] Payload)> a = Parse(ours, path + " (ours)");
        List<(ushort Type, bool Nested, byte[] Payload)> b = Parse(kernel, path + " (kernel)");
        var differences = new List<string>();
        foreach ((ushort type, bool nested, byte[] payload) in a)
        {
            int match = b.FindIndex(x => x.Type == type && (nested ? Differences(payload, x.Payload, $"{path}/{type}").Count == 0 : SamePayload(x.Payload, payload)));
            if (match < 0)
            {
                string theirs = string.Join(", ", b.Where(x => x.Type == type).Select(x => Hex(x.Payload)));
                differences.Add($"{path}/{type}: ours {Hex(payload)}, the kernel's {(theirs.Length == 0 ? "none" : theirs)}");
                continue;
            }
            b.RemoveAt(match);
        }
        foreach ((ushort type, bool _, byte[] payload) in b)
        {
            differences.Add($"{path}/{type}: the kernel's {Hex(payload)}, ours none");
        }
        return differences;
    }

    /// <summary>True when <paramref name="attributes"/> has a top-level attribute of <paramref name="type"/>.</summary>
    public static bool HasAttribute(ReadOnlySpan<byte> attributes, ushort type) => Parse(attributes, "attributes").Exists(a => a.Type == type);

    private static List<(ushort Type, bool Nested, byte[] Payload)> Parse(ReadOnlySpan<byte> data, string context)
    {
        var result = new List<(ushort, bool, byte[])>();
        int offset = 0;
        while (offset + 4 <= data.Length)
        {
            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(offset));
            ushort rawType = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(offset + 2));
            if (length < 4 || offset + length > data.Length)
            {
                throw new FormatException($"{context}: attribute at {offset} has length {length}");
            }
            result.Add(((ushort)(rawType & 0x3fff), (rawType & 0x8000) != 0, data.Slice(offset + 4, length - 4).ToArray()));
            offset += (length + 3) & ~3;
        }
        return result;
    }

    private static bool SamePayload(byte[] a, byte[] b) =>
        a.AsSpan().SequenceEqual(b)
        || (a.Length == b.Length + 1 && a[^1] == 0 && a.AsSpan(0, b.Length).SequenceEqual(b))
        || (b.Length == a.Length + 1 && b[^1] == 0 && b.AsSpan(0, a.Length).SequenceEqual(a));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
