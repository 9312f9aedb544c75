namespace Netfilter.Net.Tests.Netlink;

/// <summary>What a user reads when the kernel says no: the operation, the errno, the kernel's words, the fix.</summary>
public sealed class NetlinkExceptionTests
{
    [Fact]
    public void EPERM_names_the_operation_and_says_CAP_NET_ADMIN_is_needed()
    {
        var e = new NetlinkException(Errno.EPERM, "batch NFT_MSG_NEWTABLE", sequence: 7);

        e.Message.Should().StartWith("batch NFT_MSG_NEWTABLE failed: EPERM (operation not permitted)");
        e.Message.Should().Contain("CAP_NET_ADMIN");
        e.Errno.Should().Be(Errno.EPERM);
        e.RawErrno.Should().Be(1);
        e.Sequence.Should().Be(7u);
    }

    [Fact]
    public void The_kernels_text_and_the_offending_attribute_offset_appear()
    {
        var e = new NetlinkException(Errno.ERANGE, "batch NFT_MSG_NEWTABLE", 9, "Attribute failed policy validation", 20);

        e.Message.Should().Be("batch NFT_MSG_NEWTABLE failed: ERANGE (result out of range): kernel says \"Attribute failed policy validation\" (at byte 20 of the request)");
        e.KernelMessage.Should().Be("Attribute failed policy validation");
        e.AttributeOffset.Should().Be(20u);
    }

    [Fact]
    public void Detail_comes_after_the_kernel_text_and_the_hint_last()
    {
        var e = new NetlinkException(Errno.ENOBUFS, "dump conntrack", detail: "1000 messages lost");

        e.Message.Should().Be("dump conntrack failed: ENOBUFS (no buffer space available); 1000 messages lost. the socket's receive buffer overflowed and messages were lost");
    }

    [Theory]
    [InlineData(Errno.EOPNOTSUPP, "lacks this feature")]
    [InlineData(Errno.EPROTONOSUPPORT, "lacks this netlink family")]
    public void Errors_a_user_can_act_on_carry_a_hint(Errno errno, string hint)
    {
        new NetlinkException(errno, "op").Message.Should().Contain(hint);
    }

    [Fact]
    public void An_errno_without_a_name_is_kept_and_printed_as_a_number()
    {
        var e = new NetlinkException((Errno)200, "op");

        e.Message.Should().Be("op failed: errno 200");
        e.RawErrno.Should().Be(200);
    }

    [Fact]
    public void An_interrupted_dump_says_how_often_it_was_tried()
    {
        var once = new NetlinkDumpInterruptedException("dump NFT_MSG_GETTABLE", 5, 1);
        var thrice = new NetlinkDumpInterruptedException("dump NFT_MSG_GETTABLE", 5, 3);

        once.Should().BeAssignableTo<NetlinkException>();
        once.Errno.Should().Be(Errno.EINTR);
        once.Message.Should().StartWith("dump NFT_MSG_GETTABLE failed: EINTR").And.Contain("NLM_F_DUMP_INTR");
        thrice.Message.Should().Contain("each of 3 attempts");
        thrice.Attempts.Should().Be(3);
    }

    [Fact]
    public void A_protocol_error_says_where_what_was_expected_and_what_arrived()
    {
        var e = new NetlinkProtocolException("NFTA_TABLE attribute 2", "4 bytes of payload", "3");

        e.Message.Should().Be("NFTA_TABLE attribute 2: expected 4 bytes of payload, received 3");
        (e.Context, e.Expected, e.Received).Should().Be(("NFTA_TABLE attribute 2", "4 bytes of payload", "3"));
    }
}
