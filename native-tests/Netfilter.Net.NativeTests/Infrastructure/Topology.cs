namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>
/// Three namespaces joined by veth pairs, the shape every port-redirection scenario needs:
/// <code>
///   client 10.0.1.2 fd01::2 ── 10.0.1.1 fd01::1  router  10.0.2.1 fd02::1 ── 10.0.2.2 fd02::2 server
///          (veth "eth0")       (veth "lan")               (veth "wan")        (veth "eth0")
/// </code>
/// The client routes everything through the router. The server routes through the router only
/// when <c>serverRoutesViaRouter</c> is true: without it, only masquerade brings replies back.
/// Forwarding in the router is left off: tests turn it on through the library.
/// </summary>
public sealed class Topology : IDisposable
{
    public Topology(bool serverRoutesViaRouter = true)
    {
        Client = new TestNamespace("client");
        Router = new TestNamespace("router");
        Server = new TestNamespace("server");
        try
        {
            Link(Client, "eth0", Router, "lan");
            Link(Router, "wan", Server, "eth0");
            Address(Client, "eth0", "10.0.1.2/24", "fd01::2/64");
            Address(Router, "lan", "10.0.1.1/24", "fd01::1/64");
            Address(Router, "wan", "10.0.2.1/24", "fd02::1/64");
            Address(Server, "eth0", "10.0.2.2/24", "fd02::2/64");
            Client.Ip("route", "add", "default", "via", "10.0.1.1");
            Client.Ip("-6", "route", "add", "default", "via", "fd01::1");
            if (serverRoutesViaRouter)
            {
                Server.Ip("route", "add", "default", "via", "10.0.2.1");
                Server.Ip("-6", "route", "add", "default", "via", "fd02::1");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestNamespace Client { get; }
    public TestNamespace Router { get; }
    public TestNamespace Server { get; }

    private static void Link(TestNamespace a, string aName, TestNamespace b, string bName)
    {
        Tool.Check("ip", "link", "add", aName, "netns", a.Name, "type", "veth", "peer", "name", bName, "netns", b.Name);
        a.Ip("link", "set", aName, "up");
        b.Ip("link", "set", bName, "up");
    }

    private static void Address(TestNamespace ns, string device, string v4, string v6)
    {
        ns.Ip("addr", "add", v4, "dev", device);
        // nodad: the address is usable at once instead of after duplicate-address detection.
        ns.Ip("-6", "addr", "add", v6, "dev", device, "nodad");
    }

    public void Dispose()
    {
        Client.Dispose();
        Router.Dispose();
        Server.Dispose();
    }
}
