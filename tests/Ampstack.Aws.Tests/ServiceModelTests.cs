using Ampstack.AmplifyBackend;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.Tests;

public class ServiceModelTests
{
    private static readonly ServiceModel Model = AmplifyBackendModel.Instance;

    [Fact]
    public void Loads_all_31_operations_of_the_vendored_model()
    {
        Assert.Equal(31, Model.Operations.Count);
        Assert.Equal("amplifybackend", Model.SigningName);
        Assert.Equal("2020-08-11", Model.ApiVersion);
    }

    [Fact]
    public void Keeps_wire_names_and_locations_from_the_model()
    {
        var login = Model.GetShape("LoginAuthConfigReqObj");
        Assert.Equal("aws_user_pools_id", login.MembersByName["AwsUserPoolsId"].WireName);
        var getJob = Model.Operations["GetBackendJob"];
        Assert.Equal("GET", getJob.HttpMethod);
        Assert.Equal(MemberLocation.Uri, getJob.Input!.MembersByName["JobId"].Location);
        Assert.True(getJob.Input.MembersByName["JobId"].IsRequired);
    }

    [Fact]
    public void Has_the_later_modelIntrospectionSchema_member()
    {
        var output = Model.Operations["GetBackendAPIModels"].Output!;
        Assert.Equal("modelIntrospectionSchema", output.MembersByName["ModelIntrospectionSchema"].WireName);
    }

    [Fact]
    public void Reads_error_shapes_with_their_status()
    {
        Assert.Equal(404, Model.GetShape("NotFoundException").Error!.HttpStatusCode);
        Assert.Equal(429, Model.GetShape("TooManyRequestsException").Error!.HttpStatusCode);
        Assert.Equal(504, Model.GetShape("GatewayTimeoutException").Error!.HttpStatusCode);
        Assert.Null(Model.GetShape("CreateBackendRequest").Error);
    }

    [Fact]
    public void Reads_ranges_and_enums()
    {
        var max = Model.GetShape("__integerMin1Max25");
        Assert.Equal(1, max.Min);
        Assert.Equal(25, max.Max);
        Assert.Equal(["COGNITO"], Model.GetShape("Service").EnumValues);
    }
}
