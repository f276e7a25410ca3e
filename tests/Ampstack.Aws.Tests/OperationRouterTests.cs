using Ampstack.AmplifyBackend;
using Ampstack.Aws.RestJson;

namespace Ampstack.Aws.Tests;

public class OperationRouterTests
{
    private readonly OperationRouter _router = new(AmplifyBackendModel.Instance, acceptStagePrefix: true);

    [Theory]
    [InlineData("POST", "/backend", "CreateBackend")]
    [InlineData("POST", "/backend/app1/details", "GetBackend")]
    [InlineData("POST", "/backend/app1/config", "CreateBackendConfig")]
    [InlineData("POST", "/backend/app1/config/update", "UpdateBackendConfig")]
    [InlineData("POST", "/backend/app1/config/remove", "RemoveBackendConfig")]
    [InlineData("POST", "/backend/app1/remove", "RemoveAllBackends")]
    [InlineData("POST", "/backend/app1/job/dev", "ListBackendJobs")]
    [InlineData("GET", "/backend/app1/job/dev/j1", "GetBackendJob")]
    [InlineData("POST", "/backend/app1/job/dev/j1", "UpdateBackendJob")]
    [InlineData("POST", "/backend/app1/api/dev", "UpdateBackendAPI")]
    [InlineData("POST", "/backend/app1/api/dev/details", "GetBackendAPI")]
    [InlineData("GET", "/backend/app1/challenge/s1", "GetToken")]
    [InlineData("POST", "/backend/app1/challenge/s1/remove", "DeleteToken")]
    [InlineData("POST", "/s3Buckets", "ListS3Buckets")]
    [InlineData("POST", "/prod/backend/app1/details", "GetBackend")]
    [InlineData("POST", "/backend/app1/details/", "GetBackend")]
    public void Routes_each_template_to_its_operation(string method, string path, string operation)
    {
        var match = _router.Match(method, path);
        Assert.NotNull(match);
        Assert.Equal(operation, match.Operation.Name);
    }

    [Fact]
    public void Literal_segments_beat_labels()
    {
        // /backend/{appId}/config/update could be read as /backend/{appId}/auth/{env} only if literals were ignored.
        Assert.Equal("UpdateBackendConfig", _router.Match("POST", "/backend/a/config/update")!.Operation.Name);
        Assert.Equal("UpdateBackendAuth", _router.Match("POST", "/backend/a/auth/update")!.Operation.Name);
    }

    [Fact]
    public void Extracts_and_decodes_labels()
    {
        var match = _router.Match("GET", "/backend/my%20app/job/dev/abc")!;
        Assert.Equal("my app", match.Labels["appId"]);
        Assert.Equal("dev", match.Labels["backendEnvironmentName"]);
        Assert.Equal("abc", match.Labels["jobId"]);
    }

    [Theory]
    [InlineData("GET", "/backend")]
    [InlineData("POST", "/nope")]
    [InlineData("DELETE", "/backend/a/details")]
    [InlineData("POST", "/backend/a/job/dev/j1/extra")]
    public void Answers_null_for_unknown_routes(string method, string path) => Assert.Null(_router.Match(method, path));

    [Fact]
    public void Knows_paths_for_preflight_whatever_the_method()
    {
        Assert.True(_router.PathExists("/backend/a/challenge/s"));
        Assert.False(_router.PathExists("/unknown"));
    }
}
