using System.Security.Cryptography;
using System.Text;
using Netfilter.Net.Tests.Fakes;
using Netfilter.Net.Tests.NfTables;
using Netfilter.Net.Tests.NfTables.Transactions;

namespace Netfilter.Net.Tests.Support;

/// <summary>
/// The nf_tables captures moved into the one capture layout of Captures/ (<see cref="CaptureFile"/>):
/// Golden/netlink/*.golden and Golden/nftables/transactions/*.golden ("sendmsg 76" sections) and
/// Captures/nftables/rich-ruleset.dump.hex (one message per line). Each digest below was computed
/// over what the tests read from the old file, every datagram in order (its direction, length and
/// bytes, as <see cref="CaptureFile.Digest"/>), twice before the conversion: by a reader independent
/// of the test code, and by the old readers themselves (GoldenFile, BatchCapture and
/// RuleDecoderPropertyTests.LoadDump of main at b1e3003, called by reflection). The converted file
/// must give the tests exactly the same.
/// </summary>
public sealed class CaptureConversionTests
{
    [Theory]
    [InlineData("add-chain-hook", "3b3c45537eb6dbfa9873394f4054d8d855dc2584d5751d73c5374cc7a455f4d5", "sendto recvmsg sendto recvmsg recvmsg sendto recvmsg sendmsg")]
    [InlineData("add-table-inet", "96d0257aae19f3ce7de62abbafd13239282e4b456136d9fe44d3b589a3449d05", "sendto recvmsg sendto recvmsg sendmsg")]
    [InlineData("batch-eperm", "eb218a1be3760bd2fe844fc83c250ab3a95ebeba00b06fa1924c7dc9e7b0c6fb", "sendmsg recvmsg")]
    [InlineData("capped-ack-and-error", "e35dda4c337e7d1cc5daed2b4e96be105afa8c557d7e8bf9c9e9bd3379380b25", "sendmsg recvmsg recvmsg")]
    [InlineData("delete-missing-table", "d305ec431faf404bce911191de18e0a5379b5b9e57a1e58689c2256bf9c9f45f", "sendto recvmsg sendto recvmsg sendto recvmsg sendto recvmsg sendto recvmsg sendto recvmsg sendmsg recvmsg")]
    [InlineData("list-tables", "f5d92f4dce5f1eb7850a2f5d197afab426907399f65d587ef3111e1e9da4eb82", "sendto recvmsg sendto recvmsg recvmsg sendto recvmsg sendto recvmsg sendto recvmsg sendto recvmsg sendto recvmsg sendto recvmsg sendto recvmsg sendto recvmsg")]
    [InlineData("policy-error-text", "743610312ccd9c3832ba7c70a07614e87e1604b90a464dbca4b9b0d55d957660", "sendmsg recvmsg")]
    public void The_netlink_captures_hold_the_same_datagrams(string name, string sha256, string syscalls)
    {
        CaptureFile capture = CaptureFile.Load($"netlink/{name}.txt");
        string.Join(' ', capture.Datagrams.Select(d => d.Syscall)).Should().Be(syscalls);
        CaptureFile.Digest(capture.Datagrams).Should().Be(sha256);
    }

    [Theory]
    [InlineData("add-table-chain-rule", 0, "19b971434fb61b0b237b945ab6e988e8258fb136eeda0c41003fbdf53f8b384d")]
    [InlineData("create-table-chain-set", 0, "4d3d24dc5682185c5daeeb88eac10a0821453ed696f88256a83662bd9fe72d17")]
    [InlineData("delete-and-flush", 0, "8e23621c96996fab02b5a3db1ed7b86866432b88bebca1c094113d60713abd45")]
    [InlineData("refused-jump", 1, "f3a73bb7aca904bd96c235cc54a238a40fb3160ee17a1830ebb8c96b32e91449")]
    [InlineData("rule-positions", 0, "8b905bae77e0336356ed4c883607ccfd4532bc5d7dffcfba8ed47cfc879f4700")]
    [InlineData("sets-and-elements", 0, "728b5017f12c5000f4a36fdbb12e65413ef9cc260fe901d203d81e3125e72480")]
    public void The_batch_captures_give_the_same_batch_and_errors(string name, int errors, string sha256)
    {
        BatchCapture capture = BatchCapture.Load(name);
        capture.Replies.Should().HaveCount(errors);
        var read = new[] { new CaptureFile.Datagram(true, "sendmsg", capture.Batch) }
            .Concat(capture.Replies.Select(r => new CaptureFile.Datagram(false, "recvmsg", r)));
        CaptureFile.Digest(read).Should().Be(sha256);
    }

    [Fact]
    public void The_rich_ruleset_dump_gives_the_same_messages()
    {
        byte[][] messages = RuleDecoderPropertyTests.LoadDump();
        messages.Should().HaveCount(96);
        CaptureFile.Digest(messages.Select(m => new CaptureFile.Datagram(false, "recvmsg", m)))
            .Should().Be("230b3f0390b717c6a0a893e3ca6889b4f8d506412cb7ff27125c68451713f6ba");
    }

    /// <summary>
    /// Golden/nftables stays an expected-text golden (native-tests/capture/README.md), but its reader
    /// is now <see cref="SectionGoldenFile"/>, the one golden-file reader: every file must give the
    /// tests the same sections, commands, debug lines and expression bytes as the old NftGoldenFile
    /// parser did: the digest is that of the text below as the old parser gave it (main at b1e3003,
    /// called by reflection), and as a reader independent of the test code gives it.
    /// </summary>
    [Fact]
    public void The_expression_goldens_read_the_same_through_the_section_reader()
    {
        var text = new StringBuilder();
        int files = 0;
        foreach (string name in NftGoldenFile.AllNames())
        {
            files++;
            text.Append(name).Append('\n');
            foreach (NftGoldenSection section in NftGoldenFile.Load(name).Sections.Values)
            {
                text.Append('[').Append(section.Title).Append("]\n").Append(section.Command).Append('\n');
                foreach (string line in section.DebugLines)
                {
                    text.Append("debug: ").Append(line).Append('\n');
                }
                foreach (byte[] element in section.Elements)
                {
                    text.Append("bytes: ").Append(Convert.ToHexString(element).ToLowerInvariant()).Append('\n');
                }
            }
        }
        files.Should().Be(97);
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant()
            .Should().Be("14fe659ab62ae077b5a87aa348192a59eb6229ac58dff46ad7174fa08c069ea1");
    }
}
