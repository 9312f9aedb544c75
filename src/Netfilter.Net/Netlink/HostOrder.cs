using System;
using System.Runtime.InteropServices;

namespace Netfilter.Net.Netlink;

/// <summary>
/// Reads and writes integers in the machine's own byte order, which is what nlmsghdr, nlattr
/// headers and a few payloads (errno in NLMSG_ERROR, meta/ct register data) use.
/// </summary>
internal static class HostOrder
{
    public static ushort ReadUInt16(ReadOnlySpan<byte> source) => MemoryMarshal.Read<ushort>(source);
    public static uint ReadUInt32(ReadOnlySpan<byte> source) => MemoryMarshal.Read<uint>(source);
    public static int ReadInt32(ReadOnlySpan<byte> source) => MemoryMarshal.Read<int>(source);
    public static ulong ReadUInt64(ReadOnlySpan<byte> source) => MemoryMarshal.Read<ulong>(source);
    public static void WriteUInt16(Span<byte> destination, ushort value) => MemoryMarshal.Write(destination, in value);
    public static void WriteUInt32(Span<byte> destination, uint value) => MemoryMarshal.Write(destination, in value);
    public static void WriteUInt64(Span<byte> destination, ulong value) => MemoryMarshal.Write(destination, in value);
}
