using System.Text.Json.Serialization.Metadata;
using Ampstack.AmplifyBackend;
using Ampstack.AmplifyBackend.Api;
using Ampstack.AmplifyBackend.Operations;
using Ampstack.Aws.Pipeline;
using Ampstack.Codegen;

namespace Ampstack.Aws.Tests;

/// <summary>The typed operation surface: generated from the model, and checked against it when the server starts.</summary>
public class ServiceBindingTests
{
    private static readonly AmplifyBackendProvider Provider = new(null!, null!, null!, null!, null!);

    public static TheoryData<string> GeneratedOutputs => [.. GeneratedServices.All.Select(s => s.OutputPath)];

    [Theory]
    [MemberData(nameof(GeneratedOutputs))]
    public void Generated_surface_matches_the_model(string outputPath)
    {
        var service = GeneratedServices.All.Single(s => s.OutputPath == outputPath);
        var checkedIn = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Generated", Path.GetFileName(service.OutputPath)));
        var fresh = ApiWriter.Write(VendoredModels.Load(service.ModelPath), service.Options);
        Assert.True(fresh == checkedIn, $"{service.OutputPath} is not what the model generates now: run tools/codegen/generate.sh");
    }

    public static TheoryData<string> GeneratedDocuments => [.. GeneratedServices.AllDocuments.Select(d => d.OutputPath)];

    /// <summary>The domain's configuration records: regenerated from the model, a renamed member is a compile error there.</summary>
    [Theory]
    [MemberData(nameof(GeneratedDocuments))]
    public void Generated_documents_match_the_model(string outputPath)
    {
        var documents = GeneratedServices.AllDocuments.Single(d => d.OutputPath == outputPath);
        var checkedIn = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Generated", Path.GetFileName(documents.OutputPath)));
        var fresh = DocumentWriter.Write(VendoredModels.Load(documents.ModelPath), documents.Options);
        Assert.True(fresh == checkedIn, $"{documents.OutputPath} is not what the model generates now: run tools/codegen/generate.sh");
    }

    [Fact]
    public void Generated_interface_has_one_method_per_operation()
    {
        var methods = typeof(IAmplifyBackend).GetMethods().Select(m => m.Name).Order(StringComparer.Ordinal);
        var operations = AmplifyBackendModel.Instance.Operations.Keys.Select(name => name + "Async").Order(StringComparer.Ordinal);
        Assert.Equal(operations, methods);
    }

    [Fact]
    public void The_provider_binds_every_operation()
    {
        var binding = AmplifyBackendService.Bind(Provider);
        Assert.Same(AmplifyBackendModel.Instance, binding.Model);
    }

    [Fact]
    public void An_operation_without_a_handler_does_not_start()
    {
        var handlers = AmplifyBackendOperations.Handlers(Provider).Where(h => h.Operation != "GetBackendJob");
        var error = Assert.Throws<InvalidOperationException>(() => Bind(AmplifyBackendJsonContext.Default, handlers));
        Assert.Equal("No handler for GetBackendJob.", error.Message);
    }

    [Fact]
    public void A_handler_with_another_operations_types_does_not_start()
    {
        var handlers = AmplifyBackendOperations.Handlers(Provider).Where(h => h.Operation != "DeleteToken")
            .Append(OperationHandler.Create<DeleteTokenRequest, GetTokenResponse>("DeleteToken",
                (_, _, _) => Task.FromResult(new GetTokenResponse())));
        var error = Assert.Throws<InvalidOperationException>(() => Bind(AmplifyBackendJsonContext.Default, handlers));
        Assert.Contains("GetTokenResponse does not fit the model's DeleteTokenResponse", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_with_a_member_the_model_lacks_does_not_start()
    {
        var handlers = AmplifyBackendOperations.Handlers(Provider).Where(h => h.Operation != "DeleteToken")
            .Append(OperationHandler.Create<DeleteTokenRequest, Drift.DeleteTokenResponse>("DeleteToken",
                (_, _, _) => Task.FromResult(new Drift.DeleteTokenResponse())));
        var shapes = JsonTypeInfoResolver.Combine(Drift.DriftContext.Default, AmplifyBackendJsonContext.Default);
        var error = Assert.Throws<InvalidOperationException>(() => Bind(shapes, handlers));
        Assert.Equal("DeleteTokenResponse.Revoked is not a member of the model's DeleteTokenResponse.", error.Message);
    }

    [Fact]
    public void A_type_lacking_a_member_of_the_model_does_not_start()
    {
        var handlers = AmplifyBackendOperations.Handlers(Provider).Where(h => h.Operation != "GetToken")
            .Append(OperationHandler.Create<GetTokenRequest, Drift.GetTokenResponse>("GetToken",
                (_, _, _) => Task.FromResult(new Drift.GetTokenResponse())));
        var shapes = JsonTypeInfoResolver.Combine(Drift.DriftContext.Default, AmplifyBackendJsonContext.Default);
        var error = Assert.Throws<InvalidOperationException>(() => Bind(shapes, handlers));
        Assert.Equal("GetTokenResponse lacks the model's members SessionId, Ttl.", error.Message);
    }

    private static ServiceBinding Bind(IJsonTypeInfoResolver shapes, IEnumerable<OperationHandler> handlers) =>
        new(AmplifyBackendModel.Instance, shapes, handlers, _ => null);
}
