using Ampstack.ModelGen.Sdl;

namespace Ampstack.ModelGen.Transform;

/// <summary>
/// The auth transformer's schema changes, for the auth modes the reference is run with (API key by default; Cognito user
/// pools, IAM and OIDC as additional modes): owner fields, owner arguments of subscriptions, and the AppSync
/// directives (<c>@aws_api_key</c>, <c>@aws_iam</c>, <c>@aws_oidc</c>, <c>@aws_cognito_user_pools</c>,
/// <c>@aws_lambda</c>) on model types, their operations, the types those return and the non-model types they use.
/// </summary>
internal sealed partial class GraphQLTransform
{
    private const string DefaultProvider = "apiKey";

    private static readonly (string Provider, string Directive)[] ProviderDirectives =
    [
        ("apiKey", "@aws_api_key"), ("iam", "@aws_iam"), ("oidc", "@aws_oidc"), ("userPools", "@aws_cognito_user_pools"),
        ("function", "@aws_lambda"),
    ];

    private static readonly string[] AllOperations = ["create", "update", "delete", "get", "list", "sync", "listen", "search"];

    private readonly Dictionary<string, HashSet<string>> _seenNonModel = new(StringComparer.Ordinal);

    /// <summary>One role of the access control matrix: who (provider, strategy, entity) may do which operations.</summary>
    private sealed record AuthRole(string Provider, string Strategy, string? Entity, bool Static, HashSet<string> Operations)
    {
        /// <summary>Delete needs every field, and a field with its own @auth keeps only its rules' roles.</summary>
        public bool CanDelete { get; set; }

        public bool Same(AuthRole other) => Provider == other.Provider && Strategy == other.Strategy && Entity == other.Entity;
    }

    private void AuthPhase()
    {
        var roles = new List<(ModelInfo Model, List<AuthRole> Roles)>();
        foreach (var model in _models)
        {
            var modelRoles = new List<AuthRole>();
            var fieldRules = new List<(OutField Field, List<AuthRole> Roles)>();
            if (model.Source.Directives.Find(d => d.Name == "auth") is { } auth)
            {
                foreach (var role in Roles(auth, model))
                {
                    role.CanDelete = role.Operations.Contains("delete");
                    Merge(modelRoles, role);
                }
            }

            foreach (var field in model.Declared)
            {
                if (Directive(field, "auth") is not { } fieldAuth)
                {
                    continue;
                }

                var fieldRoles = Roles(fieldAuth, model);
                fieldRules.Add((field, fieldRoles));
                foreach (var role in modelRoles)
                {
                    role.CanDelete &= fieldRoles.Exists(r => r.Same(role) && r.Operations.Contains("delete"));
                }

                foreach (var role in fieldRoles)
                {
                    Merge(modelRoles, role);
                }
            }

            if (fieldRules.Count > 0)
            {
                var typeRoles = model.Source.Directives.Find(d => d.Name == "auth") is { } typeAuth ? Roles(typeAuth, model) : [];
                ValidateFieldRules(model, typeRoles, fieldRules);
            }

            if (modelRoles.Count > 0)
            {
                roles.Add((model, modelRoles));
            }
        }

        foreach (var (model, modelRoles) in roles)
        {
            var filter = _out.Get($"ModelSubscription{model.Name}FilterInput");
            foreach (var role in modelRoles.Where(r => !r.Static && r.Provider is "userPools" or "oidc"))
            {
                filter?.RemoveField(role.Entity!);
            }
        }

        foreach (var (model, modelRoles) in roles)
        {
            ProtectModel(model, modelRoles);
        }

        var searchableProviders = roles.Where(r => _searchable.Exists(s => s.Model == r.Model))
            .SelectMany(r => Providers(r.Roles)).Distinct().ToList();
        foreach (var aggregate in SearchableAggregateTypes)
        {
            Extend(_out.Get(aggregate), ServiceDirectives(searchableProviders, addDefault: false));
        }
    }

    /// <summary>Adds a role, or its operations to the same role already there.</summary>
    private static void Merge(List<AuthRole> roles, AuthRole role)
    {
        if (roles.Find(r => r.Same(role)) is { } existing)
        {
            existing.Operations.UnionWith(role.Operations);
        }
        else
        {
            roles.Add(role);
        }
    }

    private static List<AuthRole> Roles(SdlDirective auth, ModelInfo model)
    {
        var roles = RulesToRoles(auth);
        for (var i = 0; i < roles.Count && !model.IsJoin; i++)
        {
            if (roles.FindIndex(r => r.Same(roles[i])) < i)
            {
                var name = string.Join(":", new[] { model.Name, roles[i].Provider, roles[i].Strategy, roles[i].Entity }.OfType<string>());
                throw Invalid($"@auth {name} already exists for {model.Name}");
            }
        }

        return roles;
    }

    private static List<AuthRole> RulesToRoles(SdlDirective auth)
    {
        var roles = new List<AuthRole>();
        foreach (var rule in Arg(auth, "rules")?.Items ?? [])
        {
            string? Member(string name) => rule.Fields?.Find(f => f.Key == name).Value?.Text;
            var allow = Member("allow") ?? "private";
            var provider = Member("provider") switch
            {
                null => allow switch
                {
                    "public" => "apiKey",
                    "custom" => "function",
                    _ => "userPools",
                },
                "identityPool" or "iam" => "iam",
                var given => given,
            };
            var operations = Operations(rule.Fields?.Find(f => f.Key == "operations").Value);
            var groups = rule.Fields?.Find(f => f.Key == "groups").Value;
            switch (allow)
            {
                case "owner":
                    roles.Add(new AuthRole(provider, "owner", Member("ownerField") ?? "owner", false, operations));
                    break;
                case "groups" when Member("groupsField") is { } groupsField:
                    roles.Add(new AuthRole(provider, "groups", groupsField, false, operations));
                    break;
                case "groups":
                    foreach (var group in groups?.Items ?? [])
                    {
                        roles.Add(new AuthRole(provider, "groups", group.Text, true, operations));
                    }

                    break;
                default:
                    roles.Add(new AuthRole(provider, allow, null, true, operations));
                    break;
            }
        }

        return roles;
    }

    private static HashSet<string> Operations(SdlValue? operations)
    {
        if (operations?.Items is null)
        {
            return [.. AllOperations];
        }

        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in operations.Items.Select(i => i.Text))
        {
            if (op == "read")
            {
                result.UnionWith(["get", "list", "sync", "listen", "search"]);
            }
            else if (op is not null)
            {
                result.Add(op);
            }
        }

        return result;
    }

    private void ProtectModel(ModelInfo model, List<AuthRole> roles)
    {
        var ownerFields = roles.Where(r => r.Strategy == "owner").Select(r => r.Entity!).Distinct().ToList();
        string[] inputs =
            [$"Model{model.Name}FilterInput", $"Model{model.Name}ConditionInput", $"ModelSubscription{model.Name}FilterInput"];
        foreach (var name in inputs)
        {
            var input = _out.Get(name);
            foreach (var ownerField in ownerFields)
            {
                input?.AddField(new OutField(ownerField, "ModelStringInput"));
            }
        }

        foreach (var ownerField in ownerFields)
        {
            model.Type.AddField(new OutField(ownerField, "String"));
        }

        var providers = Providers(roles);
        Extend(model.Type, ServiceDirectives(providers, addDefault: false));
        ProtectOperations(model, roles);
        PropagateToNestedTypes(model.Type, providers);
    }

    private static List<string> Providers(IEnumerable<AuthRole> roles) => roles.Select(r => r.Provider).Distinct().ToList();

    /// <summary><c>getServiceDirectives</c>: the directives of the providers; the default's only beside another.</summary>
    private static List<string> ServiceDirectives(List<string> providers, bool addDefault)
    {
        var directives = new List<string>();
        if (providers.Count == 0)
        {
            return directives;
        }

        var others = providers.Exists(p => p != DefaultProvider);
        foreach (var (provider, directive) in ProviderDirectives)
        {
            if ((provider != DefaultProvider && providers.Contains(provider)) || (provider == DefaultProvider && others && addDefault))
            {
                directives.Add(directive);
            }
        }

        if (providers.Contains(DefaultProvider) && others && !directives.Contains("@aws_api_key"))
        {
            directives.Add("@aws_api_key");
        }

        return directives;
    }

    private static void Extend(OutType? type, IEnumerable<string> directives)
    {
        if (type is null)
        {
            return;
        }

        foreach (var directive in directives)
        {
            if (!type.Directives.Contains(directive))
            {
                type.Directives.Add(directive);
            }
        }
    }

    /// <summary><c>protectSchemaOperations</c>.</summary>
    private void ProtectOperations(ModelInfo model, List<AuthRole> roles)
    {
        var config = model.Config;
        Protect(_query, "get", config.Get, roles);
        Protect(_query, "list", config.List, roles);
        Protect(_mutation, "create", config.Create, roles);
        Protect(_mutation, "update", config.Update, roles);
        Protect(_mutation, "delete", config.Delete, roles);
        foreach (var field in model.Declared)
        {
            foreach (var index in field.Source.Where(d => d.Name == "index"))
            {
                if (IndexQueryName(model, field, index) is { } queryField)
                {
                    Protect(_query, "list", queryField, roles);
                    Protect(_query, "get", queryField, roles);
                }
            }
        }

        foreach (var (_, query) in _searchable.Where(s => s.Model == model))
        {
            Protect(_query, "search", query, roles);
        }

        var ownerArguments = roles
            .Where(r => r.Strategy == "owner" && r.Operations.Contains("listen")
                && model.Type.Field(r.Entity!) is { } f && !TypeRefs.IsAnyList(f.Type))
            .Select(r => r.Entity!)
            .ToList();
        var subscriptions = new (List<string> Names, string? Mutation)[]
        {
            (config.OnCreate, config.Create), (config.OnUpdate, config.Update), (config.OnDelete, config.Delete),
        };
        foreach (var (names, mutation) in subscriptions)
        {
            if (mutation is null)
            {
                continue;
            }

            foreach (var name in names)
            {
                Protect(_subscription, "listen", name, roles);
                if (_out.Get(_subscription)?.Field(name) is { } subscription)
                {
                    subscription.Args.AddRange(ownerArguments.Select(a => new OutField(a, "String")));
                }
            }
        }
    }

    private void Protect(string root, string operation, string? fieldName, List<AuthRole> roles)
    {
        if (fieldName is null || _out.Get(root) is not { } type || type.Field(fieldName) is not { } field)
        {
            return;
        }

        var allowed = roles.Where(r => operation == "delete" ? r.CanDelete : r.Operations.Contains(operation)).ToList();
        var directives = ServiceDirectives(Providers(allowed), addDefault: allowed.Exists(r => r.Provider == DefaultProvider));
        if (directives.Count == 0)
        {
            return;
        }

        // addDirectivesToField puts the field it changes last.
        type.Fields.Remove(field);
        type.Fields.Add(field);
        foreach (var directive in directives.Where(d => !field.Directives.Contains(d)))
        {
            field.Directives.Add(directive);
        }

        Extend(_out.Get(TypeRefs.Base(field.Type)), directives);
    }

    private static string? IndexQueryName(ModelInfo model, OutField field, SdlDirective index) => Arg(index, "queryField") switch
    {
        { Kind: SdlValueKind.Null } => null,
        { Kind: SdlValueKind.String } v => v.Text,
        _ => DefaultIndexQueryName(model, field, Strings(index, "sortKeyFields")),
    };

    /// <summary><c>propagateAuthDirectivesToNestedTypes</c>.</summary>
    private void PropagateToNestedTypes(OutType type, List<string> providers)
    {
        foreach (var field in type.Fields)
        {
            var baseType = TypeRefs.Base(field.Type);
            if (IsModel(baseType) || _out.Get(baseType) is not { Kind: OutKind.Object } nested)
            {
                continue;
            }

            var seen = _seenNonModel.TryGetValue(baseType, out var current);
            var directives = ServiceDirectives(providers, addDefault: seen);
            if (!seen)
            {
                _seenNonModel[baseType] = [.. directives];
            }
            else
            {
                directives = directives.Where(d => !current!.Contains(d)).ToList();
                current!.UnionWith(directives);
            }

            if (directives.Count > 0 || !seen)
            {
                Extend(nested, directives);
                PropagateToNestedTypes(nested, providers);
            }
        }
    }
}
