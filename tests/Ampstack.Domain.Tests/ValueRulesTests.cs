using System.Text.Json.Nodes;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;

namespace Ampstack.Domain.Tests;

public class ValueRulesTests
{
    [Theory]
    [InlineData("immediate", JobProgressionMode.Immediate, 0)]
    [InlineData("manual", JobProgressionMode.Manual, 0)]
    [InlineData("delay:250ms", JobProgressionMode.Delay, 250)]
    [InlineData("delay:2s", JobProgressionMode.Delay, 2000)]
    [InlineData("delay:1.5m", JobProgressionMode.Delay, 90000)]
    [InlineData("DELAY:1h", JobProgressionMode.Delay, 3600000)]
    public void Parses_job_progressions(string text, JobProgressionMode mode, int delayMs)
    {
        var progression = JobProgression.Parse(text);
        Assert.Equal(mode, progression.Mode);
        Assert.Equal(TimeSpan.FromMilliseconds(delayMs), progression.Delay);
    }

    [Fact]
    public void Text_with_the_nul_character_is_refused_naming_the_member()
    {
        var error = Assert.Throws<DomainException>(() => TextRules.RequireStorable("a\0b", "apps[0].appName"));
        Assert.Equal(DomainErrorKind.Invalid, error.Kind);
        Assert.Equal("Invalid value for 'apps[0].appName': must not contain the NUL character (U+0000).", error.Message);
        TextRules.RequireStorable("tab\t and \u0001 are stored", "appName");
        TextRules.RequireStorable(null, "appName");
    }

    [Fact]
    public void Indexed_text_is_at_most_255_characters()
    {
        TextRules.RequireIndexable(new string('a', 255), "operation");
        var error = Assert.Throws<DomainException>(() => TextRules.RequireIndexable(new string('a', 256), "operation"));
        Assert.Equal("'operation' is 256 characters long; the limit is 255.", error.Message);
        Assert.Throws<DomainException>(() => TextRules.RequireIndexable("a\0", "operation"));
    }

    [Theory]
    [InlineData("later")]
    [InlineData("delay:")]
    [InlineData("delay:5x")]
    [InlineData("delay:-1s")]
    public void Refuses_bad_progressions(string text) => Assert.Throws<FormatException>(() => JobProgression.Parse(text));

    [Fact]
    public void Due_time_follows_the_mode()
    {
        Assert.Equal(100, JobProgression.Immediate.DueAt(100));
        Assert.Equal(2100, JobProgression.Parse("delay:2s").DueAt(100));
        Assert.Null(JobProgression.Parse("manual").DueAt(100));
    }

    [Fact]
    public void Merge_replaces_given_members_merges_objects_and_replaces_lists()
    {
        var stored = JsonNode.Parse("""{"a": 1, "o": {"x": 1, "y": 2}, "l": [1, 2, 3]}""")!.AsObject();
        var merged = JsonMerge.Merge(stored, JsonNode.Parse("""{"o": {"y": 3}, "l": [9], "n": "new"}""")!.AsObject());
        Assert.Equal("""{"a":1,"o":{"x":1,"y":3},"l":[9],"n":"new"}""", merged.ToJsonString());
        Assert.Equal("""{"a":1,"o":{"x":1,"y":2},"l":[1,2,3]}""", stored.ToJsonString());
    }

    [Fact]
    public void Page_tokens_round_trip_and_refuse_tampering_and_other_contexts()
    {
        var tokens = new PageTokens([1, 2, 3]);
        var token = tokens.Issue("ctx", "pos");
        Assert.Equal("pos", tokens.Read(token, "ctx", "nextToken"));
        Assert.Throws<DomainException>(() => tokens.Read(token, "other", "nextToken"));
        Assert.Throws<DomainException>(() => tokens.Read(token[..^2] + "AA", "ctx", "nextToken"));
        Assert.Throws<DomainException>(() => tokens.Read("garbage", "ctx", "nextToken"));
        Assert.Throws<DomainException>(() => tokens.Read("!!!.???", "ctx", "nextToken"));
        Assert.Throws<DomainException>(() => new PageTokens([9]).Read(token, "ctx", "nextToken"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\u0001b")]
    public void Refuses_bad_identifiers(string value) =>
        Assert.Equal(DomainErrorKind.Invalid, Assert.Throws<DomainException>(() => Identifiers.Require(value, "appId")).Kind);

    [Fact]
    public void Refuses_absurdly_long_identifiers()
    {
        Assert.Equal("x", Identifiers.Require("x", "appId"));
        Assert.Contains("256 characters",
            Assert.Throws<DomainException>(() => Identifiers.Require(new string('a', 256), "appId")).Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my-bucket.1", true)]
    [InlineData("ab", false)]
    [InlineData("UPPER", false)]
    [InlineData("-start", false)]
    [InlineData("a..b", false)]
    public void Checks_bucket_names(string name, bool valid)
    {
        if (valid)
        {
            Assert.Equal(name, Identifiers.RequireBucketName(name, "bucketName"));
        }
        else
        {
            Assert.Throws<DomainException>(() => Identifiers.RequireBucketName(name, "bucketName"));
        }
    }
}
