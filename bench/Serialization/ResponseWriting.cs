using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ampstack.AmplifyBackend;
using Ampstack.AmplifyBackend.Api;
using Ampstack.AmplifyBackend.Mapping;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using BenchmarkDotNet.Attributes;

namespace Ampstack.Bench.Serialization;

/// <summary>
/// Builds a response from what the domain returns and writes its body, three ways: typed through the generated
/// System.Text.Json metadata (what the server does), typed through a walk of the model, and the JsonObject walk the
/// server used before the typed surface. All three must write the same bytes; setup checks that they do.
/// </summary>
[MemoryDiagnoser]
public class ResponseWriting
{
    private static readonly ServiceModel Model = AmplifyBackendModel.Instance;
    private readonly ShapeCodec _codec = new(Model, AmplifyBackendJsonContext.Default);
    private readonly ModelWalkWriter _walk = new(AmplifyBackendJsonContext.Default);
    private JobRecord[] _jobs = [];
    private JsonObject _authConfig = [];

    public enum Answer
    {
        GetBackendJob,
        ListBackendJobs100,
        GetBackendAuth,
    }

    [Params(Answer.GetBackendJob, Answer.ListBackendJobs100, Answer.GetBackendAuth)]
    public Answer Case { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _jobs = Enumerable.Range(0, Case == Answer.ListBackendJobs100 ? 100 : 1)
            .Select(i => new JobRecord(new Partition("000000000000", "us-east-1"), "d1a2b3c4", "dev", Guid.NewGuid().ToString(),
                "CreateBackendAuth", "COMPLETED", null, 1_764_000_000_000 + i, 1_764_000_000_500 + i, null, JobWork.None))
            .ToArray();
        _authConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "auth-config.json")))!.AsObject();
        var typed = Bytes(StjMetadata());
        if (!typed.SequenceEqual(Bytes(ModelWalk())) || !typed.SequenceEqual(Bytes(JsonObjectBefore())))
        {
            throw new InvalidOperationException($"{Case}: the three ways write different bodies");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonObject + model walk (before)")]
    public long JsonObjectBeforeBench() => Sent(JsonObjectBefore());

    [Benchmark(Description = "typed + model walk")]
    public long ModelWalkBench() => Sent(ModelWalk());

    [Benchmark(Description = "typed + STJ metadata (now)")]
    public long StjMetadataBench() => Sent(StjMetadata());

    /// <summary>As the server does once the body is sent: the pooled segments go back to the pool.</summary>
    private static long Sent(PooledBody body)
    {
        using (body)
        {
            return body.Length;
        }
    }

    private PooledBody JsonObjectBefore()
    {
        var operation = Model.Operations[OperationName];
        JsonObject output = Case switch
        {
            Answer.GetBackendJob => JobObject(_jobs[0]),
            Answer.ListBackendJobs100 => new JsonObject { ["Jobs"] = new JsonArray(_jobs.Select(j => (JsonNode?)JobObject(j)).ToArray()) },
            _ => new JsonObject
            {
                ["AppId"] = "d1a2b3c4",
                ["BackendEnvironmentName"] = "dev",
                ["ResourceConfig"] = _authConfig.DeepClone(),
                ["ResourceName"] = "auth",
            },
        };
        return JsonObjectWriter.SerializePooled(operation.Output, output);
    }

    private PooledBody ModelWalk() => _walk.Write(Model.Operations[OperationName].Output!, Typed());

    private PooledBody StjMetadata()
    {
        var output = Typed();
        return _codec.Write(output.GetType(), output);
    }

    private string OperationName => Case switch
    {
        Answer.GetBackendJob => "GetBackendJob",
        Answer.ListBackendJobs100 => "ListBackendJobs",
        _ => "GetBackendAuth",
    };

    private object Typed() => Case switch
    {
        Answer.GetBackendJob => GetBackendJobResponse.From(Jobs.ToShape(_jobs[0])),
        Answer.ListBackendJobs100 => new ListBackendJobsResponse { Jobs = _jobs.Select(Jobs.ToShape).ToList() },
        _ => new GetBackendAuthResponse
        {
            AppId = "d1a2b3c4",
            BackendEnvironmentName = "dev",
            ResourceConfig = _authConfig.Deserialize(AmplifyBackendJsonContext.Default.CreateBackendAuthResourceConfig),
            ResourceName = "auth",
        },
    };

    private static JsonObject JobObject(JobRecord job) => new()
    {
        ["AppId"] = job.AppId,
        ["BackendEnvironmentName"] = job.Environment,
        ["JobId"] = job.JobId,
        ["Operation"] = job.Operation,
        ["Status"] = job.Status,
        ["Error"] = job.Error,
        ["CreateTime"] = job.CreatedAt.ToString(CultureInfo.InvariantCulture),
        ["UpdateTime"] = job.UpdatedAt.ToString(CultureInfo.InvariantCulture),
    };

    private static byte[] Bytes(PooledBody body)
    {
        using (body)
        {
            return body.ToArray();
        }
    }
}
