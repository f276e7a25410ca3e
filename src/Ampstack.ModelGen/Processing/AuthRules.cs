using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;

namespace Ampstack.ModelGen.Processing;

/// <summary>
/// <c>processAuthDirective</c>: fills each @auth rule's defaults, in the key order the plugin's object spreads give,
/// and moves @auth after the other directives.
/// </summary>
internal static class AuthRules
{
    private static readonly string[] DefaultOperations = ["create", "update", "delete", "read"];

    public static void Process(CgSchema schema)
    {
        foreach (var model in schema.Models.Values)
        {
            model.Directives = Reorder(model.Directives, model.Name, null);
            foreach (var field in model.Fields)
            {
                field.Directives = Reorder(field.Directives, model.Name, field.Name);
            }
        }
    }

    /// <summary>The other directives, then the processed @auth ones (the same list when there is no @auth).</summary>
    private static List<CgDirective> Reorder(List<CgDirective> directives, string owner, string? member)
    {
        if (!directives.Exists(d => d.Name == "auth"))
        {
            return directives;
        }

        var subject = member is null ? owner : $"{owner}.{member}";
        return directives.Where(d => d.Name != "auth")
            .Concat(directives.Where(d => d.Name == "auth").Select(d => ProcessDirective(d, subject)))
            .ToList();
    }

    private static CgDirective ProcessDirective(CgDirective directive, string subject)
    {
        var rules = directive.Arg("rules");
        var list = rules switch
        {
            null or JsUndefined => [],
            JsArray array => array,
            _ => throw Errors.At(directive.Pos, subject, "@auth(rules:) must be a list of rules"),
        };

        var processed = new JsArray();
        foreach (var item in list)
        {
            if (item is not JsObject rule)
            {
                throw Errors.At(directive.Pos, subject, "each @auth rule must be an object such as { allow: owner }");
            }

            if (Equals(rule["allow"], "groups") && JsValues.Truthy(rule["groupField"]))
            {
                continue;
            }

            processed.Add(ProcessRule(rule));
        }

        var arguments = directive.Arguments.Clone();
        arguments.Set("rules", processed);
        return directive.CloneWithArguments(arguments);
    }

    private static JsObject ProcessRule(JsObject rule)
    {
        var operations = FirstTruthy(rule["operations"], rule["mutations"]) ?? new JsArray(DefaultOperations);
        var identityClaim = FirstTruthy(rule["identityClaim"], rule["identityField"]) ?? "username";
        switch (rule["allow"])
        {
            case "owner":
                var ownerField = JsValues.Truthy(rule["ownerField"]) ? rule["ownerField"] : "owner";
                var owner = new JsObject { ["provider"] = "userPools", ["ownerField"] = ownerField }.SpreadFrom(rule);
                owner.Set("identityClaim", Equals(identityClaim, "username") ? "cognito:username" : identityClaim);
                owner.Set("operations", operations);
                return owner;
            case "groups":
                var groups = new JsObject { ["groupClaim"] = "cognito:groups", ["provider"] = "userPools" }.SpreadFrom(rule);
                groups.Set("groupField", JsValues.Truthy(rule["groups"]) ? JsUndefined.Value : FirstTruthy(rule["groupField"]) ?? "groups");
                groups.Set("operations", operations);
                return groups;
            default:
                var other = rule.Clone();
                other.Set("operations", operations);
                return other;
        }
    }

    private static object? FirstTruthy(params object?[] values) => values.FirstOrDefault(JsValues.Truthy);
}
