using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// Strings that libnftnl sends with mnl_attr_put_str, i.e. without the terminating NUL (objref
/// names, ct helper names, secmark contexts), where most names go with mnl_attr_put_strz. The
/// kernel accepts both (nla_strscpy) and dumps them with the NUL; readers use
/// <see cref="NetlinkAttribute.GetString"/>, which takes either.
/// </summary>
internal static class UnterminatedString
{
    public static void Write(NetlinkWriter writer, ushort type, string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Encoding.UTF8.GetBytes(value, writer.BeginAttribute(type, byteCount));
    }
}
