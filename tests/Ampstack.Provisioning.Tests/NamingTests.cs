using System.Text.Json.Nodes;
using Ampstack.Domain.Common;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Provisioning.Tests;

public sealed class NamingTests
{
    [Fact]
    public void Names_are_amplifys_and_the_same_for_every_run_of_a_job()
    {
        Assert.Equal("userpool1-dev", Naming.UserPoolName("userpool1", "auth1", "dev"));
        Assert.Equal("auth1-dev", Naming.UserPoolName(null, "auth1", "dev"));
        Assert.Equal("userpool1-dev_app_clientWeb", Naming.ClientName("userpool1-dev", web: true));
        Assert.Equal("userpool1-dev_app_client", Naming.ClientName("userpool1-dev", web: false));
        Assert.Equal("my_ids__dev", Naming.IdentityPoolName("my-ids", "auth1", "dev"));
        Assert.Equal("myprefix-dev", Naming.HostedUiDomain("MyPrefix", "dev"));
        Assert.Equal(128, Naming.UserPoolName(new string('p', 200), "auth1", "dev").Length);
    }

    [Fact]
    public void The_resource_tag_names_account_region_app_environment_kind_and_resource()
    {
        var task = new ProvisionTask(new Partition("000000000000", "eu-west-1"), "d1abc", "dev", "job-1",
            ProvisionWork.Create(ResourceKind.Auth, "auth1"), null, null);
        Assert.Equal("000000000000/eu-west-1/d1abc/dev/auth/auth1", Naming.ResourceKey(task));
    }

    [Fact]
    public void A_jobs_provisioning_work_is_stored_with_it_and_read_back()
    {
        var outputs = new JsonObject { ["UserPoolId"] = "us-east-1_abc" };
        var work = new Domain.Jobs.JobWork(Provision: new ProvisionWork(ProvisionAction.Delete, ResourceKind.Auth, "auth1", outputs));
        var read = StoredJson.ReadJobWork(StoredJson.Write(work));
        Assert.Equal(work.Provision!.Action, read.Provision!.Action);
        Assert.Equal(ResourceKind.Auth, read.Provision.Kind);
        Assert.Equal("auth1", read.Provision.Name);
        Assert.True(JsonNode.DeepEquals(outputs, read.Provision.Outputs));
    }

    [Fact]
    public void A_teardown_keeps_each_part_with_its_environment_and_drops_what_is_not_provisioned()
    {
        var p = new Partition("000000000000", "us-east-1");
        ResourceRecord Resource(ResourceKind kind, string env, bool imported = false) =>
            new(p, "d1", env, kind, kind.ToStored() + "1", [], new JsonObject { ["id"] = env }, imported, null, 0);
        var work = ProvisionWork.Teardown([Resource(ResourceKind.Auth, "dev"), Resource(ResourceKind.Storage, "prod"),
            Resource(ResourceKind.Api, "dev", imported: true)])!;
        var read = StoredJson.ReadJobWork(StoredJson.Write(new Domain.Jobs.JobWork(Provision: work))).Provision!;
        Assert.Equal(ProvisionAction.Teardown, read.Action);
        Assert.Equal([(ResourceKind.Auth, "dev"), (ResourceKind.Storage, "prod")], read.Parts!.Select(x => (x.Kind, x.Environment)));
        Assert.Equal("prod", (string?)read.Parts![1].Outputs!["id"]);
        var storageOnly = read.Where(k => k == ResourceKind.Storage)!;
        Assert.Equal((ResourceKind.Storage, "storage1"), (storageOnly.Kind, storageOnly.Name));
        Assert.Null(read.Where(_ => false));
        Assert.Null(ProvisionWork.Teardown([Resource(ResourceKind.Auth, "dev", imported: true)]));
    }

    [Fact]
    public void Work_without_provisioning_is_stored_as_before()
    {
        Assert.Equal("""{"generateModelsFor":"api1","failureReason":null}""",
            StoredJson.Write(new Domain.Jobs.JobWork(GenerateModelsFor: "api1")));
        Assert.Null(StoredJson.ReadJobWork("""{"generateModelsFor":null,"failureReason":null}""").Provision);
    }

    [Theory]
    [InlineData("aws", null)]
    [InlineData("AWS", null)]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("https://localstack.internal:4566/", "https://localstack.internal:4566/")]
    public void The_endpoint_option_is_aws_or_a_url(string text, string? url) =>
        Assert.Equal(url, ProvisioningEndpoint.ParseUrl(text)?.ToString());

    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("ftp://host")]
    [InlineData("http://host/?a=b")]
    public void Anything_else_is_refused_naming_the_option(string text) =>
        Assert.StartsWith("--provision-endpoint:", Assert.Throws<FormatException>(() => ProvisioningEndpoint.ParseUrl(text)).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Aws_means_each_services_regional_endpoint_and_iam_signs_for_us_east_1()
    {
        var aws = new ProvisioningEndpoint(null, new Aws.Auth.AwsCredentials("a", "b"));
        Assert.Equal("https://cognito-idp.eu-west-1.amazonaws.com/", aws.For("cognito-idp", "eu-west-1").ToString());
        Assert.Equal("https://iam.amazonaws.com/", aws.For("iam", "eu-west-1").ToString());
        Assert.Equal("us-east-1", ProvisioningEndpoint.SigningRegion("iam", "eu-west-1"));
        Assert.Equal("AWS", aws.Where);
    }
}
