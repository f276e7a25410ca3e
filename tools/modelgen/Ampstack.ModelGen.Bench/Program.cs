using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Ampstack.ModelGen;

// Usage:
//   Ampstack.ModelGen.Bench gen SCHEMA.graphql [introspection|datastore]   print one output (like the reference's gen.js):
//                                                                          exit 0, or 1 with "error: REASON" when the schema
//                                                                          is rejected, or 3 with "crash: EXCEPTION" on any
//                                                                          other exception (a bug in the generator)
//   Ampstack.ModelGen.Bench warm SCHEMA.graphql RUNS                        median time (ms) of one in-process call per
//                                                                          format, after a 3-second warm-up (prints "FORMAT MS"):
//                                                                          the whole output, as UTF-8 into a reused buffer
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: gen SCHEMA [introspection|datastore] | warm SCHEMA RUNS");
    return 2;
}

var sdl = File.ReadAllText(args[1]);
switch (args[0])
{
    case "gen":
        var format = args.Length > 2 && args[2] == "datastore" ? ModelFormat.DataStore : ModelFormat.Introspection;
        try
        {
            var output = new ArrayBufferWriter<byte>();
            ModelGenerator.Generate(sdl, format, output);
            using (var stdout = Console.OpenStandardOutput())
            {
                stdout.Write(output.WrittenSpan);
                stdout.Write("\n"u8);
            }

            return 0;
        }
        catch (ModelGenException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            // Not a rejection: fuzz.sh reports it as a bug even where the reference rejects the schema too.
            Console.Error.WriteLine($"crash: {e}");
            return 3;
        }

    case "warm":
        var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 9;
        ModelFormat[] formats = [ModelFormat.Introspection, ModelFormat.DataStore];
        var buffer = new ArrayBufferWriter<byte>();

        // Warm the process up (tiered JIT settles after a few hundred calls): at least 200 calls or 3 seconds.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < 200 || warmUp.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            buffer.ResetWrittenCount();
            ModelGenerator.Generate(sdl, formats[i % 2], buffer);
        }

        foreach (var f in formats)
        {
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                buffer.ResetWrittenCount();
                var sw = Stopwatch.StartNew();
                ModelGenerator.Generate(sdl, f, buffer);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            var median = times[times.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(f == ModelFormat.DataStore ? "datastore" : "introspection")} {median:F2}"));
        }

        return 0;
    default:
        Console.Error.WriteLine($"unknown command {args[0]}");
        return 2;
}
