namespace Ampstack.Aws.Client.Tests;

public class EnvironmentCredentialsTests
{
    [Fact]
    public void Without_the_variables_the_credentials_are_test_test()
    {
        var credentials = EnvironmentCredentials.Resolve(_ => null);
        Assert.Equal(("test", "test", null), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
    }

    [Fact]
    public void The_variables_give_the_key_its_secret_and_the_session_token()
    {
        var variables = new Dictionary<string, string>
        {
            ["AMPSTACK_PROVISION_ACCESS_KEY_ID"] = "AKIAEXAMPLE",
            ["AMPSTACK_PROVISION_SECRET_ACCESS_KEY"] = "secret",
            ["AMPSTACK_PROVISION_SESSION_TOKEN"] = "token",
        };
        var credentials = EnvironmentCredentials.Resolve(variables.GetValueOrDefault);
        Assert.Equal(("AKIAEXAMPLE", "secret", "token"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.DoesNotContain("secret", credentials.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AMPSTACK_PROVISION_ACCESS_KEY_ID", "AMPSTACK_PROVISION_SECRET_ACCESS_KEY is set")]
    [InlineData("AMPSTACK_PROVISION_SECRET_ACCESS_KEY", "AMPSTACK_PROVISION_ACCESS_KEY_ID is set")]
    public void A_key_without_its_secret_or_a_secret_without_its_key_is_refused_by_name(string missing, string expected)
    {
        var variables = new Dictionary<string, string>
        {
            ["AMPSTACK_PROVISION_ACCESS_KEY_ID"] = "AKIAEXAMPLE",
            ["AMPSTACK_PROVISION_SECRET_ACCESS_KEY"] = "secret",
        };
        variables.Remove(missing);
        var error = Assert.Throws<InvalidOperationException>(() => EnvironmentCredentials.Resolve(variables.GetValueOrDefault));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
