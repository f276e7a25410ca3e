namespace Ampstack.Host.Tests;

/// <summary>The credential store: its file must be private, its lines well formed; a reload swaps it whole or not at all.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialStoreTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "ampstack-credentials-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_file);

    private void Write(string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        File.WriteAllText(_file, text);
        File.SetUnixFileMode(_file, mode);
    }

    private CredentialStore Open(string? inline = null) =>
        CredentialStore.Open(new ServerOptions { CredentialsFile = _file, InlineCredentials = inline })!;

    [Fact]
    public void A_private_file_and_inline_lines_are_read_together()
    {
        Write("# team keys\nAKIDONE secret-one 111111111111\n\nASIATWO secret-two 222222222222 token-two  # temporary\n");
        var store = Open("AKIDTHREE secret-three 333333333333;AKIDFOUR secret-four 444444444444");
        Assert.Equal(4, store.Current.Count);
        Assert.Equal("token-two", store.Current.Find("ASIATWO")!.SessionToken);
        Assert.Equal("444444444444", store.Current.Find("AKIDFOUR")!.AccountId);
        Assert.DoesNotContain("secret", store.Current.Find("AKIDONE")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_others_can_read_is_refused_with_the_fix()
    {
        Write("AKIDONE secret-one 111111111111\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var error = Assert.Throws<CredentialStoreException>(() => Open());
        Assert.Contains($"run 'chmod 600 {_file}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AKIDONE secret-one", "line 1: expected 'accessKeyId secretAccessKey accountId [sessionToken]', found 2 fields")]
    [InlineData("AKIDONE secret-one 12345", "line 1: the account id must be 12 digits")]
    [InlineData("# none\nAKIDONE s 111111111111\nAKIDONE t 222222222222", "line 3: access key id AKIDONE is listed twice")]
    [InlineData("# nothing but comments", "The credential store is empty")]
    public void A_bad_line_is_named_by_its_number_never_its_secret(string text, string expected)
    {
        Write(text);
        var error = Assert.Throws<CredentialStoreException>(() => Open());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        var error = Assert.Throws<CredentialStoreException>(() => Open());
        Assert.Contains($"Cannot read the credentials file {_file}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reload_swaps_the_store_and_a_failed_one_keeps_it()
    {
        Write("AKIDONE secret-one 111111111111\n");
        var store = Open();
        Write("AKIDTWO secret-two 222222222222\n");
        Assert.Equal(1, store.Reload());
        Assert.Null(store.Current.Find("AKIDONE"));
        Assert.NotNull(store.Current.Find("AKIDTWO"));

        Write("AKIDTHREE broken\n");
        Assert.Throws<CredentialStoreException>(() => store.Reload());
        Assert.NotNull(store.Current.Find("AKIDTWO"));
    }
}
