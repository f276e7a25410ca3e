using Ampstack.Aws.Model;
using Ampstack.Codegen;

// Usage: Ampstack.Codegen REPOSITORY_ROOT — writes every service's generated surface (tools/codegen/generate.sh).
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Ampstack.Codegen REPOSITORY_ROOT");
    return 2;
}

foreach (var service in GeneratedServices.All)
{
    ServiceModel model;
    using (var stream = File.OpenRead(Path.Combine(args[0], service.ModelPath)))
    {
        model = ServiceModel.Load(stream);
    }

    var output = Path.Combine(args[0], service.OutputPath);
    File.WriteAllText(output, ApiWriter.Write(model, service.Options));
    Console.WriteLine($"wrote {service.OutputPath}");
}

return 0;
