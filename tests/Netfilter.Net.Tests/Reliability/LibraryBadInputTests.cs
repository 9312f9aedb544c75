using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Reliability;
using Netfilter.Net.Sysctl;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.Reliability;

/// <summary>
/// The library half of the bad-input suite (issue 15; the command-line half runs nfnet in
/// native-tests/.../Reliability): every public entry point that takes a value from a caller,
/// fed values that are wrong in every way the probe found (empty, too long, a megabyte, control
/// characters, the wrong family, out of range, nonsense targets). Each case checks that the
/// library refuses it with the documented exception naming the parameter, that the message is
/// one line that quotes at most a bounded part of the value, that nfnet would report it as one
/// line without an exception type name (exit 2 for an ArgumentException), and, where a client
/// is involved, that nothing reached the kernel (a scripted kernel records every datagram).
/// </summary>
public sealed class LibraryBadInputTests
{
    /// <summary>What a message may be long: the longest sentence plus one bounded quote.</summary>
    private const int MaxMessageLength = 400;

    private static readonly IPAddress V4 = IPAddress.Parse("192.168.1.10");
    private static readonly IPAddress V6 = IPAddress.Parse("2001:db8::10");
    private static readonly string Megabyte = new('x', 1 << 20);
    private static readonly PortRange P80 = PortRange.Single(80);

    /// <summary>One case: what it calls, which exception, which parameter (null for FormatException, which has none).</summary>
    private sealed record Case(string Id, Type Exception, string? Parameter, Action Call, string? Pending = null);

    private static Case Arg(string id, string parameter, Action call, string? pending = null) => new(id, typeof(ArgumentException), parameter, call, pending);

    private static Case Format(string id, string text) => new(id, typeof(FormatException), null, () =>
    {
        // TryParse must say no without throwing, and Parse must throw FormatException: both, for the same text.
        NatRuleParser.TryParse(text, out NatRule? rule, out string? error).Should().BeFalse();
        rule.Should().BeNull();
        error.Should().NotBeNullOrEmpty();
        NatRuleParser.Parse(text);
    });

    private static readonly Case[] s_cases = BuildCases();

    private static Case[] BuildCases()
    {
        var cases = new List<Case>();

        // ports
        cases.Add(Arg("port-single-0", "first", () => PortRange.Single(0)));
        cases.Add(Arg("port-single-negative", "first", () => PortRange.Single(-1)));
        cases.Add(Arg("port-single-65536", "first", () => PortRange.Single(65536)));
        cases.Add(Arg("port-range-backwards", "last", () => new PortRange(90, 80)));
        cases.Add(Arg("port-range-above-65535", "first", () => new PortRange(70000, 70001)));
        foreach ((string id, string text) in new[]
        {
            ("word", "http"), ("empty", ""), ("three-parts", "1-2-3"), ("huge-number", "99999999999"), ("leading-space", " 80"),
            ("plus", "+80"), ("hex", "0x50"), ("trailing-dash", "80-"), ("leading-dash", "-80"), ("newline", "8\n0"), ("megabyte", Megabyte),
            ("fullwidth-digits", "８０"), ("zero", "0"), ("range-to-70000", "80-70000"),
        })
        {
            cases.Add(Arg("port-parse-" + id, "text", () => PortRange.Parse(text)));
        }

        // protocols
        cases.Add(Arg("redirect-protocol-icmp", "protocol", () => new RedirectRule(ProtocolType.Icmp, P80, 8080)));
        cases.Add(Arg("dnat-protocol-default", "protocol", () => new DnatRule(default(TransportProtocol), P80, V4)));

        // redirect
        cases.Add(Arg("redirect-ports-default", "ports", () => new RedirectRule(TransportProtocol.Tcp, default, 8080)));
        cases.Add(Arg("redirect-to-port-0", "toPort", () => new RedirectRule(TransportProtocol.Tcp, P80, 0)));
        cases.Add(Arg("redirect-to-port-65536", "toPort", () => new RedirectRule(TransportProtocol.Tcp, P80, 65536)));
        cases.Add(Arg("redirect-to-port-negative", "toPort", () => new RedirectRule(TransportProtocol.Tcp, P80, -1)));
        cases.Add(Arg("redirect-destination-v4-mapped", "destination", () => new RedirectRule(TransportProtocol.Tcp, P80, 8080, destination: IPAddress.Parse("::ffff:10.0.0.1"))));
        cases.Add(Arg("redirect-sources-family", "sources", () => new RedirectRule(TransportProtocol.Tcp, P80, 8080, destination: V4, sources: new[] { IPNetwork.Parse("2001:db8::/32") })));

        // interface names, in every rule that takes one
        foreach ((string id, string name, string? pending) in new (string, string, string?)[]
        {
            ("empty", "", null), ("sixteen-bytes", "sixteen-bytes-xx", null), ("space", "eth 0", null), ("slash", "a/b", null), ("colon", "a:b", null),
            ("comma", "a,b", null), ("quote", "a\"b", null), ("newline", "eth\n0", null), ("tab", "eth\t0", null), ("megabyte", Megabyte, null),
            ("utf8-over-15-bytes", "ééééééééé", null), ("dot", ".", null), ("dot-dot", "..", null),
        })
        {
            cases.Add(Arg("redirect-iif-" + id, "inputInterface", () => new RedirectRule(TransportProtocol.Tcp, P80, 8080, inputInterface: name), pending));
            cases.Add(Arg("dnat-iif-" + id, "inputInterface", () => new DnatRule(TransportProtocol.Tcp, P80, V4, inputInterface: name), pending));
            cases.Add(Arg("masquerade-oif-" + id, "outputInterface", () => new MasqueradeRule(outputInterface: name), pending));
            cases.Add(Arg("snat-oif-" + id, "outputInterface", () => new SnatRule(V4, outputInterface: name), pending));
        }

        // dnat targets and families
        cases.Add(new Case("dnat-to-null", typeof(ArgumentNullException), "toAddress", () => new DnatRule(TransportProtocol.Tcp, P80, null!)));
        cases.Add(Arg("dnat-to-v4-mapped", "toAddress", () => new DnatRule(TransportProtocol.Tcp, P80, IPAddress.Parse("::ffff:10.0.0.1"))));
        cases.Add(Arg("dnat-to-ports-without-ports", "toPorts", () => new DnatRule(TransportProtocol.Tcp, null, V4, PortRange.Single(22))));
        cases.Add(Arg("dnat-range-onto-other-range", "toPorts", () => new DnatRule(TransportProtocol.Tcp, new PortRange(8000, 8010), V4, new PortRange(9000, 9010))));
        cases.Add(Arg("dnat-random-without-range", "random", () => new DnatRule(TransportProtocol.Tcp, P80, V4, PortRange.Single(22), random: true)));
        cases.Add(Arg("dnat-destination-family", "destination", () => new DnatRule(TransportProtocol.Tcp, P80, V4, destination: V6)));
        cases.Add(Arg("dnat-sources-family", "sources", () => new DnatRule(TransportProtocol.Tcp, P80, V6, sources: new[] { IPNetwork.Parse("10.0.0.0/8") })));
        foreach ((string id, string address) in new[]
        {
            ("unspecified-v4", "0.0.0.0"), ("multicast-v4", "224.0.0.1"), ("broadcast", "255.255.255.255"), ("unspecified-v6", "::"),
            ("multicast-v6", "ff02::1"), ("scoped-link-local", "fe80::1%2"),
        })
        {
            cases.Add(Arg("dnat-to-" + id, "toAddress", () => new DnatRule(TransportProtocol.Tcp, P80, IPAddress.Parse(address))));
        }

        // snat
        cases.Add(Arg("snat-range-backwards", "toAddressLast", () => new SnatRule(V4, IPAddress.Parse("192.168.1.1"))));
        cases.Add(Arg("snat-range-families", "toAddressLast", () => new SnatRule(V4, V6)));
        cases.Add(Arg("snat-sources-family", "sources", () => new SnatRule(V4, sources: new[] { IPNetwork.Parse("2001:db8::/32") })));
        cases.Add(Arg("snat-to-multicast", "toAddress", () => new SnatRule(IPAddress.Parse("239.1.1.1"))));

        // tproxy
        cases.Add(Arg("tproxy-mark-0", "mark", () => new TproxyRule(TransportProtocol.Tcp, P80, 8080, 0)));
        cases.Add(Arg("tproxy-to-port-negative", "toPort", () => new TproxyRule(TransportProtocol.Tcp, P80, -1, 1)));
        cases.Add(Arg("tproxy-to-port-65536", "toPort", () => new TproxyRule(TransportProtocol.Tcp, P80, 65536, 1)));
        cases.Add(Arg("tproxy-ports-default", "ports", () => new TproxyRule(TransportProtocol.Tcp, default, 8080, 1)));

        // NAT table names
        foreach ((string id, string name) in new[]
        {
            ("empty", ""), ("sixty-five", new string('t', 65)), ("space", "a b"), ("slash", "a/b"), ("accent", "é"), ("newline", "nf\nnet"),
            ("nul", "nf\0net"), ("megabyte", Megabyte), ("dot", "."),
        })
        {
            cases.Add(Arg("nat-table-" + id, "name", () => new NatTable(name).Dispose()));
        }

        // canonical rule text (what the table stores as comments and what users may parse)
        foreach ((string id, string text) in new[]
        {
            ("empty", ""), ("spaces", "   "), ("unknown-kind", "frob tcp 80"), ("truncated", "redirect tcp"), ("no-to", "redirect tcp 80 8080"),
            ("to-port-overflow", "redirect tcp 80 to 99999999999"), ("mark-overflow", "tproxy tcp 80 to :8080 mark 0x1ffffffff"),
            ("unclosed-bracket", "dnat tcp 80 to [::1"), ("bad-address", "dnat tcp 80 to 10.0.0.256"), ("trailing-word", "redirect tcp 80 to 8080 please"),
            ("bad-source", "redirect tcp 80 to 8080 from 10.0.0.0/33"), ("megabyte", "redirect " + Megabyte), ("newlines", "redirect\ntcp\n80"),
            ("protocol", "redirect sctp 80 to 8080"),
        })
        {
            cases.Add(Format("rule-text-" + id, text));
        }

        // sysctl keys
        foreach ((string id, string key) in new[]
        {
            ("empty", ""), ("double-dot", "net..ipv4"), ("parent", "../../etc/passwd"), ("parent-inside", "net/ipv4/../../kernel/core_pattern"),
            ("space", "net.ipv4 .ip_forward"), ("newline", "net.ipv4.ip_forward\n"), ("megabyte-with-empty-part", "net.." + Megabyte), ("nul", "net\0ipv4"),
        })
        {
            cases.Add(Arg("sysctl-key-" + id, "key", () => SysctlKey.Parse(key)));
        }
        foreach ((string id, string name) in new[] { ("empty", ""), ("dot", "."), ("dot-dot", ".."), ("slash", "a/b"), ("space", "a b"), ("newline", "a\nb"), ("megabyte", Megabyte) })
        {
            cases.Add(Arg("sysctl-interface-" + id, "interfaceName", () => SysctlKey.IPv4Forwarding(name)));
        }

        // namespaces (no privileges needed: the name is refused, or /run/netns has no such file)
        foreach ((string id, string name) in new[]
        {
            ("empty", ""), ("slash", "a/b"), ("dot", "."), ("dot-dot", ".."), ("missing", "nfnet-test-no-such-namespace"), ("newline", "a\nb"),
            ("megabyte", Megabyte), ("three-hundred", new string('n', 300)),
        })
        {
            cases.Add(Arg("netns-name-" + id, "name", () => NetworkNamespace.FromName(name).Dispose()));
        }
        cases.Add(Arg("netns-path-missing", "path", () => NetworkNamespace.FromPath("/nonexistent/ns/net").Dispose()));

        // nftables objects: names, userdata, handles, empty element lists
        foreach ((string id, string name) in new[] { ("empty", ""), ("nul", "a\0b"), ("three-hundred-bytes", new string('t', 300)), ("megabyte", Megabyte) })
        {
            // An empty name is refused by the object's constructor (its parameter "name"); the others when the operation is added.
            cases.Add(Arg("nft-table-name-" + id, name.Length == 0 ? "name" : "table", () => new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, name))));
            cases.Add(Arg("nft-chain-name-" + id, name.Length == 0 ? "name" : "chain", () => new NfTablesTransaction().AddChain(new Chain(NetfilterFamily.Inet, "t", name))));
            cases.Add(Arg("nft-set-name-" + id, name.Length == 0 ? "name" : "set", () => new NfTablesTransaction().AddSet(new Set(NetfilterFamily.Inet, "t", name) { KeyType = 7, KeyLength = 2 })));
            cases.Add(Arg("nft-delete-table-" + id, "name", () => new NfTablesTransaction().DeleteTable(NetfilterFamily.Inet, name)));
        }
        cases.Add(Arg("nft-table-userdata-257", "table", () => new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, "t") { UserData = new byte[257] })));
        cases.Add(Arg("nft-chain-userdata-50mb", "chain", () => new NfTablesTransaction().AddChain(new Chain(NetfilterFamily.Inet, "t", "c") { UserData = new byte[50 << 20] })));
        cases.Add(Arg("nft-rule-userdata-257", "rule", () => new NfTablesTransaction().AddRule(new Rule(NetfilterFamily.Inet, "t", "c", Array.Empty<global::Netfilter.Net.NfTables.Expressions.NftExpression>()) { UserData = new byte[257] })));
        cases.Add(Arg("nft-rule-with-handle", "rule", () => new NfTablesTransaction().AddRule(new Rule(NetfilterFamily.Inet, "t", "c", Array.Empty<global::Netfilter.Net.NfTables.Expressions.NftExpression>()) { Handle = 5 })));
        cases.Add(Arg("nft-delete-rule-handle-0", "handle", () => new NfTablesTransaction().DeleteRule(NetfilterFamily.Inet, "t", "c", 0)));
        cases.Add(Arg("nft-no-elements", "elements", () => new NfTablesTransaction().AddElements(new Set(NetfilterFamily.Inet, "t", "s") { KeyType = 7, KeyLength = 2 }, Array.Empty<SetElement>())));
        cases.Add(Arg("nft-interface-data-16-bytes", "name", () => NftData.FromInterfaceName("sixteen-bytes-xx")));
        cases.Add(Arg("nft-interface-data-megabyte", "name", () => NftData.FromInterfaceName(Megabyte)));

        // conntrack filters: refused before anything is sent
        foreach ((string id, ConntrackFilter filter) in new (string, ConntrackFilter)[]
        {
            ("family-inet", new ConntrackFilter { Family = NetfilterFamily.Inet }),
            ("protocol-256", new ConntrackFilter { Protocol = (ProtocolType)256 }),
            ("mark-outside-mask", new ConntrackFilter { Mark = 0x10, MarkMask = 0x1 }),
            ("status-mask-alone", new ConntrackFilter { StatusMask = ConntrackStatus.Assured }),
            ("source-family", new ConntrackFilter { Family = NetfilterFamily.IPv4, OriginalSource = V6 }),
            ("source-destination-families", new ConntrackFilter { OriginalSource = V4, OriginalDestination = V6 }),
        })
        {
            cases.Add(Arg("conntrack-list-" + id, "filter", () => WithFakeConntrack(c => c.ListAsync(filter).GetAwaiter().GetResult())));
            cases.Add(Arg("conntrack-delete-" + id, "filter", () => WithFakeConntrack(c => c.DeleteAsync(filter).GetAwaiter().GetResult())));
        }
        return cases.ToArray();
    }

    /// <summary>Runs <paramref name="call"/> on a client over a scripted kernel, and checks that no datagram was sent whatever happened.</summary>
    private static void WithFakeConntrack(Action<ConntrackClient> call)
    {
        var kernel = new FakeKernel();
        using var client = new ConntrackClient(kernel);
        try
        {
            call(client);
        }
        finally
        {
            kernel.Requests.Should().BeEmpty("a refused filter is refused before anything is sent");
        }
    }

    public static IEnumerable<object?[]> Cases() => s_cases.Select(c => new object?[] { c.Id, c.Pending });

    [Fact]
    public void The_suite_covers_every_kind_of_input_the_probe_found()
    {
        s_cases.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        s_cases.Length.Should().BeGreaterThanOrEqualTo(150);
        foreach (string kind in new[] { "port-", "protocol", "iif-", "oif-", "dnat-to-", "nat-table-", "rule-text-", "sysctl-key-", "netns-", "nft-", "conntrack-" })
        {
            s_cases.Should().Contain(c => c.Id.Contains(kind, StringComparison.Ordinal), kind);
        }
    }

    [CaseTheory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_refused_naming_the_parameter_in_one_bounded_line(string id, string? pending)
    {
        _ = pending; // a pending case is skipped by CaseTheory; here it is null
        Case c = s_cases.Single(x => x.Id == id);
        Exception e = c.Call.Should().Throw<Exception>().Which;
        e.Should().BeAssignableTo(c.Exception, e.ToString());
        if (c.Parameter is not null)
        {
            ((ArgumentException)e).ParamName.Should().Be(c.Parameter);
        }
        string message = ErrorReporter.WithoutParameterSuffix(e.Message);
        message.Should().NotContainAny(new[] { "\n", "\r", "\0" }, "a message is one line, whatever the value held").And.NotContain("\t");
        message.Length.Should().BeLessThan(MaxMessageLength, "a message quotes a bounded part of the value: " + message[..Math.Min(message.Length, 200)]);

        // What nfnet would print for it: one line, no exception type, exit 2 for a refused argument.
        (int code, string line) = ErrorReporter.Describe(e);
        line.Should().NotStartWith("unexpected ").And.NotMatchRegex(@"\b\w+Exception\b");
        if (e is ArgumentException)
        {
            code.Should().Be(ExitCodes.Usage);
        }
    }
}
