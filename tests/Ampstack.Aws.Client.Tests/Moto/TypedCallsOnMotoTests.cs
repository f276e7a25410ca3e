using Ampstack.Aws.RestJson;
using Ampstack.Family.Sts.Api;

namespace Ampstack.Aws.Client.Tests.Moto;

/// <summary>A typed call: the generated shapes of a model in, the generated output out, through the shapes' codec.</summary>
[Collection("moto")]
public sealed class TypedCallsOnMotoTests(MotoFixture moto)
{
    [Fact]
    public async Task A_typed_call_writes_and_reads_the_generated_shapes()
    {
        using var sts = moto.Client(VendoredModels.Sts);
        var codec = new ShapeCodec(VendoredModels.Sts, StsJsonContext.Default);
        var identity = await sts.InvokeAsync<GetCallerIdentityRequest, GetCallerIdentityResponse>(
            "GetCallerIdentity", new GetCallerIdentityRequest(), codec, CancellationToken.None);
        Assert.Equal("123456789012", identity.Account);
        Assert.StartsWith("arn:aws:", identity.Arn, StringComparison.Ordinal);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            sts.InvokeAsync<GetCallerIdentityResponse, GetCallerIdentityResponse>(
                "GetCallerIdentity", new GetCallerIdentityResponse(), codec, CancellationToken.None));
    }
}
