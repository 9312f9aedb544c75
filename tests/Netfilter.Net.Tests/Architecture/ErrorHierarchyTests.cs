using System.Reflection;
using Netfilter.Net.Interop;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Tests.Architecture;

/// <summary>
/// One type to catch for "the system refused": every exception the library throws for what the
/// kernel did derives from <see cref="NetfilterException"/>, which sits below every layer, so the
/// system-call floor, namespaces, sockets and sysctls report errors without the netlink transport.
/// </summary>
public sealed class ErrorHierarchyTests
{
    /// <summary>Public exceptions that are not the system's refusal, and why each derives from what it does.</summary>
    private static readonly Dictionary<Type, string> CallerErrors = new()
    {
        [typeof(NatRuleConflictException)] = "the caller's rules clash with each other or the table: nothing was sent (InvalidOperationException)",
        [typeof(NatTableNotOwnedException)] = "the table belongs to someone else: the library refuses before sending (InvalidOperationException)",
        [typeof(RulesetDocumentException)] = "the caller's document is malformed (FormatException)",
    };

    [Fact]
    public void Every_public_exception_of_the_library_is_a_NetfilterException_or_a_listed_caller_error()
    {
        var exceptions = typeof(NetfilterException).Assembly.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();

        exceptions.Should().Contain(new[] { typeof(NetlinkException), typeof(SysctlException), typeof(NfTablesException), typeof(NetlinkProtocolException) });
        exceptions.Where(t => !typeof(NetfilterException).IsAssignableFrom(t) && !CallerErrors.ContainsKey(t))
            .Should().BeEmpty("a user catches NetfilterException for every refusal of the system");
    }

    [Fact]
    public void Sysctl_errors_are_not_netlink_errors()
    {
        typeof(SysctlException).BaseType.Should().Be(typeof(NetfilterException), "sysctls are files under /proc/sys, not netlink");
        typeof(NetlinkException).BaseType.Should().Be(typeof(NetfilterException));
    }

    [Fact]
    public void A_failed_system_call_below_the_transport_is_the_base_type_with_errno_and_operation()
    {
        Action fail = () => Syscall.ThrowOnError(-1, Errno.EPERM, "setns");

        NetfilterException e = fail.Should().Throw<NetfilterException>().Which;
        e.Should().NotBeAssignableTo<NetlinkException>();
        e.Errno.Should().Be(Errno.EPERM);
        e.Operation.Should().Be("setns");
        e.Message.Should().StartWith("setns failed: EPERM (operation not permitted)").And.Contain("CAP_NET_ADMIN");
    }

    [Fact]
    public void A_protocol_error_is_caught_as_a_NetfilterException_with_EPROTO_and_keeps_its_message()
    {
        var e = new NetlinkProtocolException("NFTA_TABLE attribute 2", "4 bytes of payload", "3");

        e.Should().BeAssignableTo<NetfilterException>();
        e.Should().NotBeAssignableTo<NetlinkException>("code that catches a kernel refusal must not swallow malformed data");
        e.Errno.Should().Be(Errno.EPROTO);
        e.Operation.Should().Be("NFTA_TABLE attribute 2");
        e.Message.Should().Be("NFTA_TABLE attribute 2: expected 4 bytes of payload, received 3");
    }

    [Fact]
    public void Derived_types_keep_the_base_message_format()
    {
        var system = new NetfilterException(Errno.ENOENT, "open network namespace /run/netns/x", detail: "no such namespace");
        var netlink = new NetlinkException(Errno.ENOENT, "open network namespace /run/netns/x", detail: "no such namespace");

        system.Message.Should().Be(netlink.Message);
    }
}
