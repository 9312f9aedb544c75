namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Set a sysctl: <c>SysctlClient.Write(Key, Value)</c> in the fix's namespace (for the keys the doctor
/// names, <c>RouteLocalnet.Enable</c>/<c>Disable</c> and <c>Forwarding.Enable</c> do the same).
/// </summary>
/// <param name="Key">The dotted key, for example <c>net.ipv4.conf.lan.route_localnet</c>.</param>
/// <param name="Value">The value to write, for example <c>1</c>.</param>
public sealed record SetSysctlFix(string Key, string Value) : DoctorFix
{
    /// <inheritdoc/>
    public override string Description => $"set {Key} to {Value}{InNamespace}";
}
