using System.Buffers;

namespace Ampstack.ModelGen.Tests;

/// <summary>Every golden schema, in both formats, compared byte for byte with the reference's output.</summary>
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
                Assert.True(hasJson ^ hasError, $"{name}.{format}: exactly one of .json or .error.txt must exist (run tools/modelgen/regen.sh)");
            }
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
            Assert.True(utf8.WrittenSpan[6..].SequenceEqual(File.ReadAllBytes(expectedPath)), $"{id}: the UTF-8 output differs from the file's bytes");
        }
        else
        {
            var reference = File.ReadAllText(GoldenCorpus.ErrorPath(name, format)).Trim();
            var error = Assert.Throws<ModelGenException>(() => ModelGenerator.Generate(schema, GoldenCorpus.ToFormat(format)));
            Assert.False(string.IsNullOrWhiteSpace(error.Message), $"{id}: empty message (reference said: {reference})");
            var utf8 = new ArrayBufferWriter<byte>();
            Assert.Throws<ModelGenException>(() => ModelGenerator.Generate(schema, GoldenCorpus.ToFormat(format), utf8));
            Assert.Equal(0, utf8.WrittenCount);
        }
    }

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
