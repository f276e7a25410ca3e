using Ampstack.Provisioning.Storage;

namespace Ampstack.Provisioning.Tests;

public sealed class StoragePoliciesTests
{
    [Fact]
    public void Each_permission_gives_the_policies_amplifys_storage_stack_gives_and_no_others()
    {
        var policies = StoragePolicies.For("b1", "abcd1234", ["DELETE"], ["CREATE_AND_UPDATE"]);
        Assert.Equal([(false, "Public_policy_abcd1234"), (false, "Protected_policy_abcd1234"), (false, "Private_policy_abcd1234"),
            (true, "Public_policy_abcd1234"), (true, "Uploads_policy_abcd1234")], policies.Select(p => (p.Guest, p.Name)));
        Assert.Equal("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:DeleteObject"],"Resource":["arn:aws:s3:::b1/public/*"]}]}
            """, policies[0].Document.ToJsonString());
        Assert.Equal("""["s3:PutObject"]""", policies[4].Document["Statement"]![0]!["Action"]!.ToJsonString());
        Assert.Empty(StoragePolicies.For("b1", "abcd1234", null, []));
        Assert.Equal(5, StoragePolicies.Names("abcd1234").Distinct().Count());
    }
}
