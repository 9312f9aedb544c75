using CsCheck;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>
/// The decoders over mutated kernel messages (bytes flipped, lengths rewritten, datagrams cut):
/// they either decode or raise <see cref="NetlinkProtocolException"/>. Never another exception,
/// never a hang.
/// </summary>
public sealed class ConntrackDecoderPropertyTests
{
    private static readonly byte[][] s_samples = new[] { "dump", "dump-ipv6", "get", "stats-cpu", "count", "dump-tcp-dport" }
        .SelectMany(name => CaptureFile.Load($"conntrack/{name}.txt").Replies)
        .Where(d => d.Length > 20)
        .ToArray();

    [Fact]
    public async Task Mutated_messages_decode_or_raise_NetlinkProtocolException()
    {
        Gen<(int Sample, int Kind, int Position, byte Value, int Count)> mutation = Gen.Select(
            Gen.Int[0, s_samples.Length - 1], Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[1, 4],
            (sample, kind, position, value, count) => (sample, kind, position, value, count));
        int decoded = 0, refused = 0;
        await Task.Run(() => mutation.Sample(m =>
        {
            byte[] bytes = Mutate(s_samples[m.Sample], m.Kind, m.Position, m.Value, m.Count);
            try
            {
                DecodeAll(bytes);
                Interlocked.Increment(ref decoded);
            }
            catch (NetlinkProtocolException)
            {
                Interlocked.Increment(ref refused);
            }
        }, iter: 20_000, threads: 1)).WaitAsync(TimeSpan.FromMinutes(2));
        decoded.Should().BeGreaterThan(0, "some mutations only change values");
        refused.Should().BeGreaterThan(0, "some mutations break the framing");
    }

    private static byte[] Mutate(byte[] original, int kind, int position, byte value, int count)
    {
        byte[] bytes = (byte[])original.Clone();
        for (int i = 0; i < count; i++)
        {
            // long: position may be near int.MaxValue, and the sum must not wrap negative.
            int at = (int)((position + i * 7919L) % bytes.Length);
            switch (kind)
            {
                case 0: // a random byte
                    bytes[at] = value;
                    break;
                case 1: // a bit flip
                    bytes[at] ^= (byte)(1 << (value % 8));
                    break;
                case 2: // a 16-bit length (nla_len) rewritten, aligned like a header
                    int header = at & ~3;
                    bytes[header] = value;
                    bytes[Math.Min(header + 1, bytes.Length - 1)] = (byte)(value % 3);
                    break;
                case 3: // the datagram cut short
                    return bytes.AsSpan(0, at).ToArray();
                default: // an attribute type changed (flags kept)
                    bytes[(at & ~3) + 2 < bytes.Length ? (at & ~3) + 2 : at] = value;
                    break;
            }
        }
        return bytes;
    }

    private static void DecodeAll(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (message.Type < NetlinkMessageType.MinType)
            {
                continue;
            }
            switch (message.Type & 0xff)
            {
                case CtnlMessageType.GetStats:
                    ConntrackStatisticsDecoder.DecodeGlobal(message);
                    break;
                case CtnlMessageType.GetStatsCpu:
                    ConntrackStatisticsDecoder.DecodeCpu(message);
                    break;
                default:
                    ConntrackEntry entry = ConntrackEntryDecoder.Decode(message);
                    _ = entry.ToString();
                    _ = entry.Translation?.ToString();
                    ConntrackEventDecoder.TryDecode(message, out _);
                    try
                    {
                        // Not an expectation message: the same attribute numbers mean other things,
                        // which must still end in a decode or a protocol error.
                        ConntrackExpectationDecoder.Decode(message);
                    }
                    catch (NetlinkProtocolException)
                    {
                    }
                    break;
            }
        }
    }
}
