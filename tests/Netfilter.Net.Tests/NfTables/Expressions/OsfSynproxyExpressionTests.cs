using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class OsfExpressionTests
{
    [Fact]
    public void Genre_matches_nft() =>
        // osf name "Linux": the register holds the name NUL-padded to 16 bytes
        Verify("osf-name", new OsfExpression(Register.R1), new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromInterfaceName("Linux")));

    [Fact]
    public void Version_with_ttl_skip_matches_nft() =>
        // osf ttl skip version "Linux:4.20" (NF_OSF_TTL_NOCHECK = 2, NFT_OSF_F_VERSION)
        Verify("osf-version", new OsfExpression(Register.R1, ttl: 2, flags: OsfFlags.Version), new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromInterfaceName("Linux:4.20")));
}

public sealed class SynproxyExpressionTests
{
    [Fact]
    public void Synproxy_matches_nft() =>
        // synproxy mss 1460 wscale 7 timestamp sack-perm
        Verify("synproxy", new SynproxyExpression(1460, 7, SynproxyFlags.Mss | SynproxyFlags.WindowScale | SynproxyFlags.Timestamp | SynproxyFlags.SackPermitted));
}
