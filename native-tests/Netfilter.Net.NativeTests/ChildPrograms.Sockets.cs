using System.Net.Sockets;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary><c>child transparent-socket</c>: sets IP_TRANSPARENT on a new TCP socket; exit 1 with the exception on stderr.</summary>
    public static Task<int> TransparentSocketAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        TransparentSocket.Enable(socket);
        return Task.FromResult(TransparentSocket.IsEnabled(socket) ? 0 : 3);
    }
}

internal static partial class ChildPrograms
{
    /// <summary><c>child tproxy-routing MARK TABLE</c>: TproxyRouting.EnsureAsync in the current namespace.</summary>
    public static async Task<int> TproxyRoutingAsync(string[] args)
    {
        TproxyRoutingState state = await new TproxyRouting(uint.Parse(args[0]), uint.Parse(args[1])).EnsureAsync();
        return state.IsComplete ? 0 : 3;
    }
}
