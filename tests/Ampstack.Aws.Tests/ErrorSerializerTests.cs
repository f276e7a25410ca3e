using System.Text;
using System.Text.Json;
using Ampstack.AmplifyBackend;
using Ampstack.Aws.Errors;

namespace Ampstack.Aws.Tests;

public class ErrorSerializerTests
{
    [Fact]
    public void Errors_carry_the_model_status_and_members_by_wire_name()
    {
        var (status, body) = ErrorSerializer.Serialize(AmplifyBackendModel.Instance,
            new AwsErrorException("NotFoundException", "gone", new Dictionary<string, string> { ["ResourceType"] = "App" }));
        Assert.Equal(404, status);
        Assert.Equal("""{"message":"gone","resourceType":"App"}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Common_errors_use_their_own_status()
    {
        var (status, body) = ErrorSerializer.Serialize(AmplifyBackendModel.Instance, CommonErrors.MissingAuthenticationToken());
        Assert.Equal(403, status);
        Assert.Equal("""{"message":"Missing Authentication Token"}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Error_messages_are_cut_to_a_bounded_length_on_a_character_boundary()
    {
        var quoted = new string('x', 1020) + "\U0001F600\U0001F600" + new string('y', 5000);
        var (_, body) = ErrorSerializer.Serialize(AmplifyBackendModel.Instance,
            new AwsErrorException("NotFoundException", $"App {quoted} was not found."));
        var message = JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
        Assert.True(message.Length <= ErrorSerializer.MaxMessageLength, $"{message.Length}");
        Assert.EndsWith("...", message, StringComparison.Ordinal);
        Assert.StartsWith("App xxx", message, StringComparison.Ordinal);
    }
}

