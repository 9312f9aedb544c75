using System.Text;
using Xunit.Sdk;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// Compares the batch the library sent with one nft sent, message by message: type, flags (with
/// the flags we add on purpose), nfgenmsg and every attribute byte. Sequence numbers and port ids
/// are masked, but ours must count up by one from the batch begin, as nft's do.
/// </summary>
internal static class BatchAssert
{
    /// <summary>
    /// Asserts <paramref name="ours"/> equals <paramref name="nft"/> except for
    /// <paramref name="addedFlags"/>(nft's message, whether it is the last before the batch end)
    /// on each message between begin and end.
    /// </summary>
    public static void SameAsNft(byte[] ours, byte[] nft, Func<RawMessage, bool, ushort> addedFlags, string what)
    {
        List<RawMessage> a = RawMessage.Split(ours);
        List<RawMessage> e = RawMessage.Split(nft);
        var problems = new StringBuilder();
        if (a.Count != e.Count)
        {
            problems.Append($"nft sent {e.Count} messages, we sent {a.Count}: nft [{Types(e)}], ours [{Types(a)}]\n");
        }
        for (int i = 0; i < Math.Min(a.Count, e.Count); i++)
        {
            RawMessage x = a[i], y = e[i];
            bool framing = i == 0 || i == e.Count - 1;
            ushort expectedFlags = (ushort)(y.Flags | (framing ? 0 : addedFlags(y, i == e.Count - 2)));
            if (x.Type != y.Type)
            {
                problems.Append($"message {i}: type 0x{x.Type:x4}, nft 0x{y.Type:x4}\n");
                continue;
            }
            if (x.Flags != expectedFlags)
            {
                problems.Append($"message {i} (type 0x{x.Type:x4}): flags 0x{x.Flags:x4}, expected nft's 0x{y.Flags:x4} plus ours = 0x{expectedFlags:x4}\n");
            }
            if (x.Sequence != a[0].Sequence + (uint)i)
            {
                problems.Append($"message {i}: sequence {x.Sequence}, expected begin's {a[0].Sequence} + {i}\n");
            }
            string? diff = HexDiff.Describe(y.Payload, x.Payload);
            if (diff is not null)
            {
                problems.Append($"message {i} (type 0x{x.Type:x4}) payload differs from nft's: {diff}\n");
            }
        }
        if (problems.Length > 0)
        {
            throw new XunitException($"{what}:\n{problems}");
        }
    }

    private static string Types(List<RawMessage> messages) => string.Join(' ', messages.Select(m => $"0x{m.Type:x4}"));
}
