namespace Netfilter.Net.Tests.Architecture;

/// <summary>
/// The library's layers and the arrows between them, as docs/ARCHITECTURE.md draws them, checked
/// against what the compiled library really uses (<see cref="TypeReferences"/>). A change that
/// makes a layer use one it must not fails here, with the types that did it; a new arrow that is
/// right goes into <see cref="Allowed"/> and the architecture page together.
/// </summary>
public sealed class LayerTests
{
    /// <summary>
    /// Each layer and the layers it may use (besides itself). The floor, Core (the errno
    /// enumeration and <see cref="NetfilterException"/>), may be used by every layer and uses none.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Core"] = [],
        ["Interop"] = ["Core"],
        ["Namespaces"] = ["Core", "Interop"],
        ["Netlink"] = ["Core", "Interop", "Namespaces"],
        ["Netfilter"] = ["Core", "Netlink"],
        ["Routing"] = ["Core", "Namespaces", "Netlink"],
        ["NfTables"] = ["Core", "Namespaces", "Netlink", "Netfilter"],
        ["Conntrack"] = ["Core", "Namespaces", "Netlink", "Netfilter"],
        ["Sysctl"] = ["Core", "Interop", "Namespaces"],
        ["Sockets"] = ["Core", "Interop", "Namespaces", "Netlink", "Routing", "Sysctl"],
        ["Nat"] = ["Core", "Namespaces", "Netlink", "NfTables", "Conntrack", "Sysctl", "Routing"],
        ["Diagnostics"] = ["Core", "Namespaces", "Netlink", "NfTables", "Conntrack", "Sysctl", "Sockets", "Routing", "Nat"],
    };

    /// <summary>Types in the root namespace Netfilter.Net (short names for users) and the layer each belongs to.</summary>
    internal static readonly IReadOnlyDictionary<string, string> RootTypes = new Dictionary<string, string>
    {
        ["Netfilter.Net.Errno"] = "Core",
        ["Netfilter.Net.NetfilterException"] = "Core",
        ["Netfilter.Net.NetfilterLogCategories"] = "Core",
        ["Netfilter.Net.InputText"] = "Core",
        ["Netfilter.Net.PortNumber"] = "Core",
        ["Netfilter.Net.InterfaceName"] = "Core",
        ["Netfilter.Net.NetlinkException"] = "Netlink",
        ["Netfilter.Net.NetlinkDumpInterruptedException"] = "Netlink",
        ["Netfilter.Net.NetlinkProtocolException"] = "Netlink",
        ["Netfilter.Net.NetworkNamespace"] = "Namespaces",
        // NFPROTO_* by origin, but every layer says "IPv4 or IPv6" with it (sysctls, routes, sockets): vocabulary, so the floor.
        ["Netfilter.Net.NetfilterFamily"] = "Core",
    };

    private static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> References = TypeReferences.Of(typeof(NetfilterException).Assembly);

    [Fact]
    public void Every_type_belongs_to_a_known_layer()
    {
        var unknown = References.Keys.Where(t => LayerOf(t) is string layer && !Allowed.ContainsKey(layer)).ToList();
        unknown.Should().BeEmpty("a new layer (namespace) or root-namespace type needs its place in LayerTests and docs/ARCHITECTURE.md");
    }

    [Fact]
    public void No_layer_uses_one_it_must_not()
    {
        var violations = new List<string>();
        foreach ((string type, IReadOnlySet<string> uses) in References)
        {
            if (LayerOf(type) is not string from || !Allowed.TryGetValue(from, out string[]? allowed))
            {
                continue;
            }
            foreach (string used in uses.Order(StringComparer.Ordinal))
            {
                if (LayerOf(used) is string to && to != from && !allowed.Contains(to))
                {
                    violations.Add($"{from} -> {to}: {type} uses {used}");
                }
            }
        }
        violations.Should().BeEmpty();
    }

    [Fact]
    public void Every_allowed_arrow_is_used()
    {
        // An arrow nobody uses is a picture that lies the other way: docs/ARCHITECTURE.md would draw a dependency that is not there.
        var used = new HashSet<(string, string)>();
        foreach ((string type, IReadOnlySet<string> uses) in References)
        {
            if (LayerOf(type) is string from)
            {
                foreach (string u in uses)
                {
                    if (LayerOf(u) is string to && to != from)
                    {
                        used.Add((from, to));
                    }
                }
            }
        }
        var unused = Allowed.SelectMany(p => p.Value.Select(to => (p.Key, to))).Where(a => !used.Contains(a)).Select(a => $"{a.Key} -> {a.to}").ToList();
        unused.Should().BeEmpty("Allowed and docs/ARCHITECTURE.md must draw the arrows the code has; the arrows in use are: "
            + string.Join(", ", used.OrderBy(a => a.Item1).ThenBy(a => a.Item2).Select(a => $"{a.Item1}->{a.Item2}")));
    }

    [Fact]
    public void Interop_references_no_netlink_type()
    {
        References.Where(p => LayerOf(p.Key) == "Interop")
            .SelectMany(p => p.Value.Where(u => LayerOf(u) == "Netlink").Select(u => $"{p.Key} uses {u}"))
            .Should().BeEmpty("the system-call floor reports errors as NetfilterException, below the transport");
    }

    [Fact]
    public void The_analysis_sees_real_references()
    {
        // Guards the IL reader itself: these uses exist, so a reader that finds nothing fails here instead of passing every check above.
        References["Netfilter.Net.Nat.NatTable"].Should().Contain("Netfilter.Net.NfTables.NfTablesClient");
        References["Netfilter.Net.Sysctl.SysctlException"].Should().Contain("Netfilter.Net.NetfilterException");
        References["Netfilter.Net.Interop.Syscall"].Should().Contain("Netfilter.Net.NetfilterException");
    }

    /// <summary>The layer of a top-level type: its namespace below Netfilter.Net, or the table for the root namespace; null for types that are not the library's (compiler-emitted attributes, &lt;Module&gt;).</summary>
    internal static string? LayerOf(string type)
    {
        const string Root = "Netfilter.Net.";
        if (!type.StartsWith(Root, StringComparison.Ordinal))
        {
            return null;
        }
        string rest = type.Substring(Root.Length);
        int dot = rest.IndexOf('.');
        if (dot < 0)
        {
            return RootTypes.TryGetValue(type, out string? layer) ? layer : "(root: " + rest + ")";
        }
        return rest.Substring(0, dot);
    }
}
