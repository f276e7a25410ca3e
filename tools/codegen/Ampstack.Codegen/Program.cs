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
    Write(service.OutputPath, ApiWriter.Write(Load(service.ModelPath), service.Options));
}

foreach (var documents in GeneratedServices.AllDocuments)
{
    Write(documents.OutputPath, DocumentWriter.Write(Load(documents.ModelPath), documents.Options));
}

return 0;

ServiceModel Load(string modelPath)
{
    using var stream = File.OpenRead(Path.Combine(args[0], modelPath));
    return ServiceModel.Load(stream);
}

void Write(string outputPath, string text)
{
    var output = Path.Combine(args[0], outputPath);
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    File.WriteAllText(output, text);
    Console.WriteLine($"wrote {outputPath}");
}
