using Ampstack.ModelGen.Model;

namespace Ampstack.ModelGen.Processing;

/// <summary>The plugin's <c>processDirectives</c>: keys and relationships (v2 or v1 rules), then @auth.</summary>
internal static class DirectivePipeline
{
    public static void Process(CgSchema schema, GeneratorOptions options)
    {
        if (options.IsV2)
        {
            foreach (var model in schema.Models.Values)
            {
                PrimaryKeys.ProcessPrimaryKey(model);
                PrimaryKeys.ProcessIndex(model);
            }

            ManyToMany.Process(schema, options);
            new ConnectionsV2(schema).Process();
        }
        else
        {
            new ConnectionsV1(schema).Process();
        }

        AuthRules.Process(schema);
    }
}
