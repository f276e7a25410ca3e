namespace Ampstack.ModelGen.Transform;

/// <summary>The auth transformer's schema changes.</summary>
internal sealed partial class GraphQLTransform
{
    private void AuthPhase()
    {
        _ = _models;
    }
}
