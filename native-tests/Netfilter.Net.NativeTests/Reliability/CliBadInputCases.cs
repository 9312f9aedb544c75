namespace Netfilter.Net.NativeTests.Reliability;

/// <summary>
/// The table of the command-line bad-input suite (issue 15): every parameter nfnet takes, given
/// values that are wrong in the ways the probe tried (out of range, malformed, empty, the wrong
/// family, control characters, 100,000 characters, contradictions, missing values) and the
/// files <c>ruleset restore</c> reads (malformed JSON, the wrong format or version, oversized,
/// bad values inside). Two groups, each run in its own namespace: the typed NAT rules' options,
/// and everything else. A case whose fix another branch brings carries the defect as Pending.
/// </summary>
public static class CliBadInputCases
{
    /// <summary>Longer than anything nfnet accepts, and under the kernel's 128 KiB limit on one argument.</summary>
    private static readonly string Huge = new('x', 100_000);

    private static readonly string[] Redirect = { "redirect", "add", "--proto", "tcp", "--port", "8081", "--to-port", "8080" };
    private static readonly string[] Forward = { "forward", "add", "--proto", "tcp", "--port", "2223", "--to", "10.0.2.2:22" };
    private static readonly string[] Masquerade = { "masquerade", "add", "--oif", "lo" };
    private static readonly string[] Snat = { "snat", "add", "--oif", "lo", "--to", "10.0.9.1" };
    private static readonly string[] Tproxy = { "tproxy", "add", "--proto", "tcp", "--port", "8443", "--to-port", "9443" };

    /// <summary><paramref name="command"/> with <paramref name="option"/> set to <paramref name="value"/> (replaced, or added at the end).</summary>
    private static string[] With(string[] command, string option, string value)
    {
        var args = command.ToList();
        int at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.Add(option);
            args.Add(value);
        }
        return args.ToArray();
    }

    private static string[] Remove(string[] command) => command.Select(a => a == "add" ? "remove" : a).ToArray();

    private static CliCase Bad(string id, string[] command, string option, string value, string? pending = null) =>
        CliCase.Usage(id, option, With(command, option, value)) with { Pending = pending };

    // Values shared by several options.
    private static readonly (string Id, string Value)[] s_badPorts =
    {
        ("0", "0"), ("65536", "65536"), ("negative", "-1"), ("word", "http"), ("open-range", "80-"), ("dash-first", "-80"),
        ("backwards", "90-80"), ("three-parts", "1-2-3"), ("plus", "+80"), ("space", " 80"), ("hex", "0x50"), ("exponent", "1e3"),
        ("fullwidth", "８０"), ("arabic-indic", "٨٠"), ("twenty-digits", "99999999999999999999"), ("empty", ""), ("list", "80,81"),
        ("newline", "8\n0"), ("huge", Huge),
    };

    private static readonly (string Id, string Value, string? Pending)[] s_badInterfaces =
    {
        ("empty", "", null), ("sixteen-bytes", "sixteen-bytes-xx", null), ("space", "a b", null), ("slash", "a/b", null), ("colon", "a:b", null),
        ("comma", "a,b", null), ("quote", "a\"b", null), ("newline", "eth\n0", null), ("tab", "eth\t0", null), ("escape", "\u001b[31m", null),
        ("huge", Huge, null), ("utf8-over-15-bytes", "ééééééééé", null), ("dot", ".", null), ("dot-dot", "..", null),
    };

    private static readonly (string Id, string Value)[] s_badPrefixes =
    {
        ("host-bits", "10.0.1.5/24"), ("length-33", "10.0.1.0/33"), ("no-length", "10.0.1.0/"), ("no-address", "/24"), ("word", "lan"),
        ("empty-entry", "10.0.0.0/8,,10.1.0.0/16"), ("trailing-comma", "10.0.0.0/8,"), ("leading-comma", ",10.0.0.0/8"),
        ("negative-length", "10.0.0.0/-1"), ("two-lengths", "10.0.0.0/24/24"), ("v6-host-bits", "fd01::1/64"), ("length-129", "fd01::/129"),
        ("hex-length", "0.0.0.0/0x10"), ("empty", ""), ("huge", Huge), ("newline", "10.0.0.0/8\n"), ("short-v4", "10.1/16"),
    };

    private static readonly (string Id, string Value)[] s_badTables =
    {
        ("empty", ""), ("space", "a b"), ("sixty-five", new string('t', 65)), ("accent", "é"), ("slash", "a/b"), ("newline", "nf\nnet"),
        ("huge", Huge), ("dot", "nf.net"),
    };

    /// <summary>The typed NAT rules' options: ports, protocols, addresses, prefixes, families, interfaces, tables, marks.</summary>
    public static IReadOnlyList<CliCase> NatRules { get; } = BuildNatRules();

    /// <summary>Everything else: commands and options, namespaces, sysctl keys and values, conntrack filters, formats, restore files.</summary>
    public static IReadOnlyList<CliCase> Commands { get; } = BuildCommands();

    private static List<CliCase> BuildNatRules()
    {
        var cases = new List<CliCase>();

        // ports
        foreach ((string id, string value) in s_badPorts)
        {
            cases.Add(Bad("redirect-port-" + id, Redirect, "--port", value));
        }
        foreach ((string id, string value) in s_badPorts.Where(p => p.Id is "0" or "65536" or "word" or "backwards" or "empty" or "huge" or "newline" or "fullwidth"))
        {
            cases.Add(Bad("forward-port-" + id, Forward, "--port", value));
            cases.Add(Bad("redirect-to-port-" + id, Redirect, "--to-port", value));
        }
        cases.Add(Bad("redirect-to-port-range", Redirect, "--to-port", "8080-8090"));
        cases.Add(Bad("tproxy-port-range", Tproxy, "--port", "80-90"));
        cases.Add(Bad("tproxy-port-0", Tproxy, "--port", "0"));
        cases.Add(Bad("tproxy-to-port-65536", Tproxy, "--to-port", "65536"));
        cases.Add(Bad("forward-target-port-0", Forward, "--to", "10.0.2.2:0"));
        cases.Add(Bad("forward-target-port-70000", Forward, "--to", "10.0.2.2:70000"));
        cases.Add(Bad("forward-target-port-backwards", Forward, "--to", "10.0.2.2:90-80"));
        cases.Add(Bad("forward-target-port-word", Forward, "--to", "10.0.2.2:ssh"));
        cases.Add(Bad("forward-target-port-empty", Forward, "--to", "10.0.2.2:"));
        cases.Add(CliCase.Usage("forward-range-onto-other-range", "--to", With(With(Forward, "--port", "8000-8010"), "--to", "10.0.2.2:9000-9010")));
        cases.Add(CliCase.Usage("remove-redirect-port-0", "--port", Remove(With(Redirect, "--port", "0"))));
        cases.Add(CliCase.Usage("remove-forward-port-word", "--port", Remove(With(Forward, "--port", "ssh"))));

        // protocols
        foreach ((string id, string value) in new[] { ("sctp", "sctp"), ("empty", ""), ("list", "tcp,udp"), ("two-words", "tcp udp"), ("number", "6"), ("icmp", "ICMP"), ("huge", Huge), ("newline", "t\ncp") })
        {
            cases.Add(Bad("redirect-proto-" + id, Redirect, "--proto", value));
        }
        cases.Add(Bad("forward-proto-sctp", Forward, "--proto", "sctp"));
        cases.Add(Bad("forward-proto-empty", Forward, "--proto", ""));
        cases.Add(Bad("tproxy-proto-both", Tproxy, "--proto", "both"));
        cases.Add(Bad("tproxy-proto-sctp", Tproxy, "--proto", "sctp"));

        // addresses
        foreach ((string id, string value) in new[]
        {
            ("short-v4", "10.1"), ("octet-256", "256.0.0.1"), ("hostname", "host.example"), ("v6-without-brackets", "2001:db8::10"),
            ("v4-in-brackets", "[10.0.2.2]:22"), ("unclosed-bracket", "[2001:db8::10"), ("no-colon-after-bracket", "[2001:db8::10]22"),
            ("empty", ""), ("v4-mapped", "[::ffff:10.0.0.1]:22"), ("trailing-space", "10.0.2.2 "), ("huge", Huge), ("newline", "10.0.2.2\n"),
            ("decimal-integer", "167772674"), ("cidr", "10.0.2.0/24"),
        })
        {
            cases.Add(Bad("forward-to-" + id, Forward, "--to", value));
        }
        foreach ((string id, string value) in new[]
        {
            ("unspecified", "0.0.0.0"), ("multicast", "224.0.0.1"), ("broadcast", "255.255.255.255"), ("v6-unspecified", "[::]"),
            ("v6-multicast", "[ff02::1]"), ("scope-id", "[fe80::1%eth0]:22"),
        })
        {
            cases.Add(Bad("forward-to-" + id, Forward, "--to", value));
        }
        foreach ((string id, string value) in new[] { ("backwards", "10.0.2.9-10.0.2.1"), ("mixed-families", "10.0.2.1-fd00::1"), ("short", "10.0.2"), ("empty", ""), ("huge", Huge), ("open-range", "10.0.2.1-") })
        {
            cases.Add(Bad("snat-to-" + id, Snat, "--to", value));
        }
        cases.Add(Bad("snat-to-multicast", Snat, "--to", "239.1.1.1"));

        // prefixes
        foreach ((string id, string value) in s_badPrefixes)
        {
            cases.Add(Bad("redirect-source-" + id, Redirect, "--source", value));
        }
        foreach ((string id, string value) in s_badPrefixes.Where(p => p.Id is "host-bits" or "empty-entry" or "word" or "huge"))
        {
            cases.Add(Bad("forward-source-" + id, Forward, "--source", value));
            cases.Add(Bad("masquerade-source-" + id, Masquerade, "--source", value));
            cases.Add(Bad("snat-source-" + id, Snat, "--source", value));
        }

        // families that do not agree
        cases.Add(CliCase.Usage("forward-v6-target-v4-source", "--source", With(With(Forward, "--to", "[fd02::2]:22"), "--source", "10.0.1.0/24")));
        cases.Add(CliCase.Usage("forward-v4-target-v6-source", "--source", With(Forward, "--source", "fd01::/64")));
        cases.Add(CliCase.Usage("snat-v4-source-v6", "--source", With(Snat, "--source", "fd01::/64")));
        cases.Add(CliCase.Usage("snat-v6-source-v4", "--source", With(With(Snat, "--to", "fd00::9"), "--source", "10.0.1.0/24")));

        // interfaces
        foreach ((string id, string value, string? pending) in s_badInterfaces)
        {
            cases.Add(Bad("redirect-iif-" + id, Redirect, "--iif", value, pending));
            cases.Add(Bad("masquerade-oif-" + id, Masquerade, "--oif", value, pending));
        }
        foreach ((string id, string value, string? pending) in s_badInterfaces.Where(i => i.Id is "sixteen-bytes" or "newline" or "huge" or "dot"))
        {
            cases.Add(Bad("snat-oif-" + id, Snat, "--oif", value, pending));
        }

        // tables
        foreach ((string id, string value) in s_badTables)
        {
            cases.Add(Bad("redirect-table-" + id, Redirect, "--table", value));
        }
        cases.Add(Bad("forward-table-space", Forward, "--table", "a b"));
        cases.Add(Bad("tproxy-table-slash", Tproxy, "--table", "a/b"));

        // marks
        foreach ((string id, string value) in new[] { ("0", "0"), ("hex-0", "0x0"), ("negative", "-1"), ("bad-hex", "0xg"), ("above-32-bits", "4294967296"), ("fraction", "1.5"), ("empty", ""), ("hex-above-32-bits", "0x100000000") })
        {
            cases.Add(Bad("tproxy-mark-" + id, Tproxy, "--mark", value));
        }

        // flags that take no value, and values without their option
        cases.Add(CliCase.Usage("redirect-local-with-value", "'yes'", Redirect.Append("--local").Append("yes").ToArray()));
        cases.Add(CliCase.Usage("forward-stray-word", "'extra'", Forward.Append("extra").ToArray()));
        return cases;
    }

    private static List<CliCase> BuildCommands()
    {
        var cases = new List<CliCase>
        {
            // commands and options (D16: one line each, exit 2)
            CliCase.Usage("unknown-command", "'frobnicate'", "frobnicate"),
            CliCase.Usage("unknown-subcommand-with-a-whole-rule", "'ad'", "forward", "ad", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--masquerade"),
            CliCase.Usage("no-subcommand", "nfnet conntrack", "conntrack"),
            CliCase.Usage("unknown-option", "'--bogus'", "list", "--bogus"),
            CliCase.Usage("misspelled-option", "'--masqerade'", "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--masqerade"),
            CliCase.Usage("stray-argument", "'extra'", "list", "extra"),
            CliCase.Usage("proto-without-value-before-port", "--proto", "redirect", "add", "--proto", "--port", "80", "--to-port", "8080"),
            CliCase.Usage("proto-without-value-at-end", "--proto", "redirect", "add", "--port", "80", "--to-port", "8080", "--proto"),
            CliCase.Usage("table-without-value-before-json", "--table", "list", "--table", "--json"),
            CliCase.Usage("option-given-twice", "--proto", "redirect", "add", "--proto", "tcp", "--proto", "udp", "--port", "80", "--to-port", "8080"),
            CliCase.Usage("format-text-and-json", "--json", "ruleset", "show", "--format", "text", "--json"),
            CliCase.Usage("format-netlink-and-json", "--json", "ruleset", "show", "--json", "--format", "netlink"),
            CliCase.Usage("format-yaml", "--format", "ruleset", "show", "--format", "yaml"),
            CliCase.Usage("format-empty", "--format", "ruleset", "show", "--format", ""),
            CliCase.Usage("format-upper-case", "--format", "ruleset", "show", "--format", "JSON"),
            CliCase.Usage("forwarding-unknown-option", "'--ipv7'", "forwarding", "on", "--ipv7"),
            CliCase.Usage("forwarding-unknown-state", "'sideways'", "forwarding", "sideways"),
            CliCase.Usage("forwarding-stray-argument", "'extra'", "forwarding", "status", "extra"),
            CliCase.Usage("demo-with-netns", "--netns", "demo", "--netns", "x") with { OwnNamespace = true },

            // tables of list and doctor
            CliCase.Usage("list-table-empty", "--table", "list", "--table", ""),
            CliCase.Usage("log-table-slash", "--table", "log", "--table", "a/b"),
            CliCase.Usage("log-table-without-value", "--table", "log", "--table"),
            CliCase.Usage("log-accounting-with-value", "'maybe'", "log", "--accounting", "maybe"),
            CliCase.Usage("log-stray-argument", "'extra'", "log", "--since-start", "extra"),
            CliCase.Usage("list-table-space", "--table", "list", "--table", "a b"),
            CliCase.Usage("list-table-huge", "--table", "list", "--table", Huge),
            CliCase.Usage("list-table-newline", "--table", "list", "--table", "nf\nnet"),
            CliCase.Usage("doctor-table-sixty-five", "--table", "doctor", "--table", new string('t', 65)),
            CliCase.Usage("doctor-port-0", "--port", "doctor", "--port", "0"),
            CliCase.Usage("doctor-port-word", "--port", "doctor", "--port", "ssh"),
            CliCase.Usage("doctor-port-range", "--port", "doctor", "--port", "80-90"),

            // namespaces: the suite's namespace and the host stay as they are
            CliCase.Usage("netns-empty", "--netns", "list", "--netns", "") with { OwnNamespace = true },
            CliCase.Usage("netns-slash", "--netns", "list", "--netns", "a/b") with { OwnNamespace = true },
            CliCase.Usage("netns-parent", "--netns", "list", "--netns", "..") with { OwnNamespace = true },
            CliCase.Usage("netns-dot", "--netns", "list", "--netns", ".") with { OwnNamespace = true },
            CliCase.Usage("netns-missing", "--netns", "list", "--netns", "nfnet-test-no-such-namespace") with { OwnNamespace = true },
            CliCase.Usage("netns-newline", "--netns", "list", "--netns", "a\nb") with { OwnNamespace = true },
            CliCase.Usage("netns-huge", "--netns", "list", "--netns", Huge) with { OwnNamespace = true },
            CliCase.Usage("netns-escape", "--netns", "list", "--netns", "\u001b[2J") with { OwnNamespace = true },
            CliCase.Usage("netns-missing-for-a-change", "--netns", "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--netns", "nfnet-test-no-such-namespace") with { OwnNamespace = true },
            CliCase.Usage("netns-without-value", "--netns", "list", "--netns") with { OwnNamespace = true },

            // sysctl keys and values
            CliCase.Usage("sysctl-key-empty", "KEY", "sysctl", "get", ""),
            CliCase.Usage("sysctl-key-double-dot", "KEY", "sysctl", "get", "net..ipv4"),
            CliCase.Usage("sysctl-key-parent", "KEY", "sysctl", "get", "../../etc/passwd"),
            CliCase.Usage("sysctl-key-parent-inside", "KEY", "sysctl", "set", "net/ipv4/../../kernel/core_pattern", "x"),
            CliCase.Usage("sysctl-key-newline", "KEY", "sysctl", "get", "net.ipv4.ip_forward\n"),
            CliCase.Usage("sysctl-key-space", "KEY", "sysctl", "get", "net.ipv4 .ip_forward"),
            CliCase.Failure("sysctl-key-missing", "net.ipv4.no_such_key", "sysctl", "get", "net.ipv4.no_such_key"),
            CliCase.Usage("sysctl-key-huge", "KEY", "sysctl", "get", Huge),
            CliCase.Usage("sysctl-set-without-value", "VALUE", "sysctl", "set", "net.ipv4.ip_forward"),
            CliCase.Usage("sysctl-get-without-key", "KEY", "sysctl", "get"),
            CliCase.Usage("sysctl-value-newline", "VALUE", "sysctl", "set", "net.ipv4.ip_forward", "0\n1"),
            CliCase.Failure("sysctl-value-out-of-range", "net.ipv4.ip_forward", "sysctl", "set", "net.ipv4.ip_forward", "99999999999999999999"),
            CliCase.Failure("sysctl-value-word", "net.ipv4.ip_forward", "sysctl", "set", "net.ipv4.ip_forward", "yes"),
            CliCase.Usage("sysctl-value-huge", "VALUE", "sysctl", "set", "net.ipv4.ip_forward", "1\n" + Huge),
            CliCase.Usage("sysctl-host-global-key", "KEY", "sysctl", "set", "vm.swappiness", "{host:vm.swappiness}"),

            // conntrack filters
            CliCase.Usage("conntrack-proto-misspelled", "--proto", "conntrack", "list", "--proto", "tcpp"),
            CliCase.Usage("conntrack-proto-256", "--proto", "conntrack", "list", "--proto", "256"),
            CliCase.Usage("conntrack-proto-negative", "--proto", "conntrack", "list", "--proto", "-1"),
            CliCase.Usage("conntrack-proto-empty", "--proto", "conntrack", "list", "--proto", ""),
            CliCase.Usage("conntrack-proto-without-value", "--proto", "conntrack", "list", "--proto"),
            CliCase.Usage("conntrack-src-short", "--src", "conntrack", "list", "--src", "10.1"),
            CliCase.Usage("conntrack-src-octet-256", "--src", "conntrack", "list", "--src", "256.1.1.1"),
            CliCase.Usage("conntrack-src-empty", "--src", "conntrack", "list", "--src", ""),
            CliCase.Usage("conntrack-src-hostname", "--src", "conntrack", "delete", "--src", "host.example"),
            CliCase.Usage("conntrack-src-huge", "--src", "conntrack", "list", "--src", Huge),
            CliCase.Usage("conntrack-dst-scope-id", "--dst", "conntrack", "list", "--dst", "fe80::1%eth0"),
            CliCase.Usage("conntrack-dst-prefix", "--dst", "conntrack", "delete", "--dst", "10.0.0.0/8"),
            CliCase.Usage("conntrack-families", "--src", "conntrack", "delete", "--src", "10.0.0.1", "--dst", "fd00::1"),
            CliCase.Usage("conntrack-sport-0", "--sport", "conntrack", "list", "--sport", "0"),
            CliCase.Usage("conntrack-dport-65536", "--dport", "conntrack", "delete", "--dport", "65536"),
            CliCase.Usage("conntrack-dport-word", "--dport", "conntrack", "watch", "--dport", "http"),
            CliCase.Usage("conntrack-delete-everything", "--proto", "conntrack", "delete"),
        };
        cases.AddRange(RestoreFiles());
        return cases;
    }

    /// <summary>ruleset restore: files that are not saved rulesets, or hold values that cannot be restored. Nothing may be restored.</summary>
    private static IEnumerable<CliCase> RestoreFiles()
    {
        const string Header = "\"format\": \"nfnet-ruleset\", \"version\": 1";
        static string Table(string fields) => "{ " + Header + ", \"tables\": [ { " + fields + " } ] }";
        static CliCase FileCase(string id, string content, int exit = 1, string names = "{file}", string? pending = null) =>
            new CliCase(id, exit, names, new[] { "ruleset", "restore", "{file}" }) { File = content, Pending = pending };

        yield return FileCase("restore-empty-file", "");
        yield return FileCase("restore-truncated-json", "{ " + Header + ", \"tables\": [");
        yield return FileCase("restore-not-json", "table inet nfnet { }");
        yield return FileCase("restore-null", "null");
        yield return FileCase("restore-array", "[]");
        yield return FileCase("restore-wrong-type", "{ \"format\": \"nfnet-ruleset\", \"version\": \"1\" }");
        yield return FileCase("restore-number-overflow", "{ " + Header + ", \"generation\": 99999999999999999999 }");
        yield return FileCase("restore-wrong-format", "{ \"format\": \"iptables-save\", \"version\": 1, \"tables\": [] }");
        yield return FileCase("restore-huge-format", "{ \"format\": \"" + new string('f', 1 << 20) + "\", \"version\": 1 }");
        yield return FileCase("restore-version-3", "{ \"format\": \"nfnet-ruleset\", \"version\": 3, \"tables\": [] }");
        yield return FileCase("restore-version-0", "{ \"format\": \"nfnet-ruleset\", \"version\": 0, \"tables\": [] }");
        yield return FileCase("restore-bad-family", Table("\"family\": \"ipx\", \"name\": \"t\""));
        yield return FileCase("restore-huge-family", Table("\"family\": \"" + new string('i', 1 << 20) + "\", \"name\": \"t\""));
        yield return FileCase("restore-missing-name", Table("\"family\": \"inet\""));
        yield return FileCase("restore-duplicate-table", "{ " + Header + ", \"tables\": [ { \"family\": \"inet\", \"name\": \"t\" }, { \"family\": \"inet\", \"name\": \"t\" } ] }");
        yield return FileCase("restore-bad-hex", Table("\"family\": \"inet\", \"name\": \"t\", \"userdata\": \"zz\""));
        yield return FileCase("restore-odd-hex", Table("\"family\": \"inet\", \"name\": \"t\", \"userdata\": \"abc\""));
        yield return FileCase("restore-bad-policy", Table("\"family\": \"inet\", \"name\": \"t\", \"chains\": [ { \"name\": \"c\", \"policy\": \"maybe\" } ]"));
        yield return FileCase("restore-element-without-key", Table("\"family\": \"inet\", \"name\": \"t\", \"sets\": [ { \"name\": \"s\", \"keyType\": 7, \"keyLength\": 2, \"elements\": [ { } ] } ]"));
        yield return FileCase("restore-table-name-300-bytes", Table("\"family\": \"inet\", \"name\": \"" + new string('t', 300) + "\""));
        yield return FileCase("restore-nul-in-name", Table("\"family\": \"inet\", \"name\": \"a\\u0000b\""));
        yield return FileCase("restore-userdata-too-long", Table("\"family\": \"inet\", \"name\": \"t\", \"userdata\": \"" + new string('a', 2 * 70_000) + "\""));
        yield return FileCase("restore-unknown-expression", Table("\"family\": \"inet\", \"name\": \"t\", \"chains\": [ { \"name\": \"c\" } ], \"rules\": [ { \"chain\": \"c\", \"expressions\": [ { \"name\": \"frobnicate\", \"data\": \"\" } ] } ]"));
        yield return FileCase("restore-rule-in-missing-chain", Table("\"family\": \"inet\", \"name\": \"t\", \"rules\": [ { \"chain\": \"nosuch\", \"expressions\": [ { \"name\": \"counter\", \"data\": \"\" } ] } ]"));
        yield return new CliCase("restore-missing-file", 1, "{dir}/no-such-file.json", new[] { "ruleset", "restore", "{dir}/no-such-file.json" });
        yield return new CliCase("restore-directory", 1, "{dir}", new[] { "ruleset", "restore", "{dir}" });
        yield return new CliCase("restore-empty-path", 2, "FILE", new[] { "ruleset", "restore", "" });
        yield return new CliCase("restore-stdin-not-json", 1, "standard input", new[] { "ruleset", "restore", "-" }) { Stdin = "{ nope" };
        yield return new CliCase("restore-stdin-wrong-version", 1, "standard input", new[] { "ruleset", "restore", "-" }) { Stdin = "{ \"format\": \"nfnet-ruleset\", \"version\": 9 }" };
        yield return new CliCase("restore-dev-zero", 1, "/dev/zero", new[] { "ruleset", "restore", "/dev/zero" });
        yield return CliCase.Usage("restore-without-file", "FILE", "ruleset", "restore");
    }
}
