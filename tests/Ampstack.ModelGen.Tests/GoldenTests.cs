using System.Buffers;

namespace Ampstack.ModelGen.Tests;

/// <summary>
/// Every golden schema, in both formats, compared byte for byte with the reference's output, or, where the
/// reference rejects it, with the reference's reason for that.
/// </summary>
public sealed class GoldenTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in GoldenCorpus.SchemaNames())
        {
            foreach (var format in GoldenCorpus.Formats)
            {
                data.Add(name, format);
            }
        }

        return data;
    }

    [Fact]
    public void Corpus_is_complete()
    {
        var names = GoldenCorpus.SchemaNames().ToList();
        Assert.True(names.Count >= 39, $"expected the shared schemas and at least 30 more, found {names.Count}");
        foreach (var name in names)
        {
            foreach (var format in GoldenCorpus.Formats)
            {
                var hasJson = File.Exists(GoldenCorpus.ExpectedPath(name, format));
                var hasError = File.Exists(GoldenCorpus.ErrorPath(name, format));
                Assert.True(hasJson ^ hasError,
                    $"{name}.{format}: exactly one of .json or .error.txt must exist (run tools/modelgen/regen.sh)");
            }
        }
    }

    [Fact]
    public void Listed_cases_are_in_the_corpus()
    {
        var schemas = GoldenCorpus.SchemaNames().ToHashSet(StringComparer.Ordinal);
        foreach (var id in GoldenCorpus.KnownFailures)
        {
            var (name, format) = GoldenCorpus.Split(id);
            Assert.True(schemas.Contains(name) && GoldenCorpus.Formats.Contains(format),
                $"{id} in GoldenCorpus.KnownFailures is not a row of the corpus (NAME.FORMAT)");
        }

        foreach (var id in GoldenCorpus.ImprovedRejections.Keys)
        {
            var (name, format) = GoldenCorpus.Split(id);
            Assert.True(
                schemas.Contains(name) && GoldenCorpus.Formats.Contains(format) && File.Exists(GoldenCorpus.ErrorPath(name, format)),
                $"{id} in GoldenCorpus.ImprovedRejections is not a rejected row of the corpus (NAME.FORMAT with a .error.txt)");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_matches_reference_byte_for_byte(string name, string format)
    {
        var id = $"{name}.{format}";
        if (GoldenCorpus.KnownFailures.Contains(id))
        {
            var fixedNow = Record.Exception(() => Check(name, format, id)) is null;
            Assert.False(fixedNow, $"{id} now matches the reference: remove it from GoldenCorpus.KnownFailures");
            return;
        }

        Check(name, format, id);
    }

    private static void Check(string name, string format, string id)
    {
        var schema = GoldenCorpus.Schema(name);
        var expectedPath = GoldenCorpus.ExpectedPath(name, format);
        if (File.Exists(expectedPath))
        {
            var expected = File.ReadAllText(expectedPath);
            var actual = ModelGenerator.Generate(schema, GoldenCorpus.ToFormat(format)) + "\n";
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                Assert.Fail($"{id} differs from the reference at {FirstDifference(expected, actual)}");
            }

            // The UTF-8 form: the file's own bytes, appended after what the buffer already held.
            var utf8 = new ArrayBufferWriter<byte>();
            utf8.Write("prefix"u8);
            var count = ModelGenerator.Generate(schema, GoldenCorpus.ToFormat(format), utf8);
            utf8.Write("\n"u8);
            Assert.Equal(utf8.WrittenCount - "prefix\n".Length, count);
            Assert.True(utf8.WrittenSpan[6..].SequenceEqual(File.ReadAllBytes(expectedPath)),
                $"{id}: the UTF-8 output differs from the file's bytes");
        }
        else
        {
            var reference = GoldenCorpus.ReferenceReason(name, format);
            var error = Assert.Throws<ModelGenException>(() => ModelGenerator.Generate(schema, GoldenCorpus.ToFormat(format)));
            if (GoldenCorpus.ImprovedRejections.TryGetValue(id, out var mentions))
            {
                Assert.False(GivesReason(error, reference),
                    $"{id} now gives the reference's reason: remove it from GoldenCorpus.ImprovedRejections");
                foreach (var mention in mentions)
                {
                    Assert.True(error.Reason?.Contains(mention, StringComparison.Ordinal) == true,
                        $"{id}: our reason should say {mention}, but it is: {error.Message}");
                }

                Assert.True(error.Subject is not null && error.Line is not null,
                    $"{id}: our message should name the field at fault and its position: {error.Message}");
            }
            else
            {
                Assert.True(
                    GivesReason(error, reference),
                    $"{id}: the reference rejects the schema with\n  {reference}\nbut ours says\n  {error.Message}\n"
                    + "(a wording better than the reference's on purpose goes in GoldenCorpus.ImprovedRejections, with why)");
            }

            var utf8 = new ArrayBufferWriter<byte>();
            Assert.Throws<ModelGenException>(() => ModelGenerator.Generate(schema, GoldenCorpus.ToFormat(format), utf8));
            Assert.Equal(0, utf8.WrittenCount);
        }
    }

    /// <summary>Our reason is the reference's, word for word; the message may go on with <c> (subject, line L, column C)</c>.</summary>
    private static bool GivesReason(ModelGenException error, string reference) =>
        string.Equals(error.Reason ?? error.Message, reference, StringComparison.Ordinal)
        && error.Message.StartsWith(reference, StringComparison.Ordinal);

    private static string FirstDifference(string expected, string actual)
    {
        var i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i])
        {
            i++;
        }

        var line = expected.AsSpan(0, i).Count('\n') + 1;
        string Around(string s) => s.Substring(Math.Max(0, i - 80), Math.Min(s.Length, i + 80) - Math.Max(0, i - 80));
        return $"line {line}:\n--- expected\n{Around(expected)}\n--- actual\n{Around(actual)}";
    }
}
