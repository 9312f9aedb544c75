using System.Diagnostics;
using System.IO;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NativeTests.Foundation;

/// <summary>
/// What the kernel ties to a netlink socket (an owned table, an event subscription) ends when the
/// library says so: Dispose closes the fd before it returns, and an owned table is gone when its
/// owner's Dispose returns, even while other threads of the process start programs.
/// </summary>
public sealed class SocketCloseTests
{
    private const int Rounds = 100;

    /// <summary>
    /// The fd is owned by a Socket over a SafeSocketHandle; a zero-byte peek ReceiveAsync is pending
    /// on it in the runtime's epoll engine. Dispose must not leave the close to that operation's end:
    /// when it returns, the fd number no longer names the socket.
    /// </summary>
    [NativeFact]
    public async Task Dispose_closes_the_fd_before_it_returns_even_with_a_receive_waiting_on_it()
    {
        using var ns = new TestNamespace("close");
        for (int round = 0; round < Rounds; round++)
        {
            NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Netfilter, ns.Namespace);
            int fd = FdOf(socket);
            string before = Link(fd)!;
            before.Should().StartWith("socket:[");
            ValueTask<int> waiting = socket.ReceiveAsync(new DatagramBuffer(), Timeout.InfiniteTimeSpan, CancellationToken.None);
            waiting.IsCompleted.Should().BeFalse("nothing is queued on a socket that sent nothing");

            socket.Dispose();

            Link(fd).Should().NotBe(before, $"round {round}: the fd must be closed when Dispose returns");
            await FluentActions.Awaiting(async () => await waiting).Should().ThrowAsync<ObjectDisposedException>();
        }
    }

    /// <summary>
    /// NFT_TABLE_F_OWNER tables go when the kernel releases the owning socket, which is at the last
    /// close of its file. A child being started (between fork and exec) holds a copy of every fd of
    /// the process, CLOEXEC ones too, so a close in the process alone does not release the socket
    /// then. Another thread starts programs all along here, as a test host or an application does;
    /// the table must still be gone the moment Dispose returns.
    /// </summary>
    [NativeFact]
    public async Task An_owned_table_is_gone_when_its_owner_is_disposed_while_other_threads_start_programs()
    {
        using var ns = new TestNamespace("owned");
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Task spawning = Task.Run(() => SpawnUntil(stop.Token));
        int stillThere = 0;
        try
        {
            using var observer = new NatTable("owned", new NatTableOptions { Namespace = ns.Namespace });
            for (int round = 0; round < Rounds; round++)
            {
                var owner = new NatTable("owned", new NatTableOptions { Namespace = ns.Namespace, Lifetime = NatTableLifetime.OwnedByProcess });
                (await owner.AddAsync(new RedirectRule(TransportProtocol.Tcp, 80, 8080))).Should().BeTrue();

                owner.Dispose();

                if ((await observer.InspectAsync()).Ownership != NatTableOwnership.Missing)
                {
                    stillThere++;
                    // Wait for the table to go before the next round, so each round starts clean.
                    while ((await observer.InspectAsync(stop.Token)).Ownership != NatTableOwnership.Missing)
                    {
                        await Task.Yield();
                    }
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await spawning;
        }
        stillThere.Should().Be(0, $"an owned table must be gone when its owner's Dispose returns ({stillThere} of {Rounds} rounds found it still there)");
    }

    private static void SpawnUntil(CancellationToken stop)
    {
        for (int i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
        {
            using var child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            child.WaitForExit();
        }
    }

    private static int FdOf(NetlinkSocket socket)
    {
        var handle = (System.Runtime.InteropServices.SafeHandle)typeof(NetlinkSocket)
            .GetField("_handle", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(socket)!;
        return (int)handle.DangerousGetHandle();
    }

    private static string? Link(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
