using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;

namespace Ampstack.ModelGen.Processing;

/// <summary>
/// Transformer v1 <c>@connection</c> (named, keyed by <c>fields</c>/<c>keyName</c>, or implicit), from
/// process-connections.
/// </summary>
internal sealed class ConnectionsV1(CgSchema schema)
{
    public void Process() => Relations.ConnectAll(schema, Connect, (model, field, info) =>
    {
        if (info.Kind is ConnectionKind.HasMany or ConnectionKind.HasOne)
        {
            info.ConnectedModel.AddField(info.AssociatedWith!);
        }
        else if (info.TargetName is not null && info.TargetName != model.PrimaryKeyField?.Name)
        {
            model.RemoveField(info.TargetName);
        }
    });

    private ConnectionInfo? Connect(CgField field, CgModel model)
    {
        var directive = field.Directive("connection");
        if (directive is null)
        {
            return null;
        }

        var otherSide = Relations.OtherSide(schema, model, field, "connection");
        var connectionFields = Args.Names(directive, "fields", $"{model.Name}.{field.Name}") ?? [];
        var otherSideField = ConnectedField(field, model, otherSide, directive);
        var isNewField = !otherSide.Fields.Contains(otherSideField);
        string TargetName() => connectionFields.Count > 0 && connectionFields[0].Length > 0
            ? connectionFields[0]
            : Relations.ConnectionAttributeName(model.Name, field.Name);

        ConnectionInfo BelongsTo()
        {
            if (connectionFields.Count > 1)
            {
                throw Errors.At(model, field, "DataStore only support one key in field");
            }

            return new ConnectionInfo
            {
                Kind = ConnectionKind.BelongsTo,
                ConnectedModel = otherSide,
                TargetName = TargetName(),
                TargetNames = [],
            };
        }

        ConnectionInfo HasMany(CgField associated) =>
            new() { Kind = ConnectionKind.HasMany, ConnectedModel = otherSide, AssociatedWith = associated };

        if (isNewField)
        {
            if (!field.IsList)
            {
                return BelongsTo();
            }

            var name = Relations.ConnectionAttributeName(model.Name, field.Name);
            return HasMany(otherSide.Field(name) ?? Relations.ImplicitField(name));
        }

        if (field.IsList && !otherSideField.IsList)
        {
            return HasMany(otherSideField);
        }

        if (!field.IsList && otherSideField.IsList)
        {
            return BelongsTo();
        }

        if (!field.IsList && !otherSideField.IsList)
        {
            if (!field.IsNullable && otherSideField.IsNullable)
            {
                return BelongsTo();
            }

            // isDataStoreEnabled is false in the reference, so any other 1:1 pairing is a has-one.
            return new ConnectionInfo
            {
                Kind = ConnectionKind.HasOne,
                ConnectedModel = otherSide,
                AssociatedWith = otherSideField,
                TargetName = TargetName(),
                TargetNames = [],
            };
        }

        // Both sides are lists: the plugin leaves the field unconnected (and so drops it).
        return null;
    }

    /// <summary><c>getConnectedField</c>: the field on the other side this connection pairs with.</summary>
    private static CgField ConnectedField(CgField field, CgModel model, CgModel connectedModel, CgDirective connection)
    {
        var connectionName = connection.Arg("name");
        var keyName = connection.Arg("keyName");
        if (JsValues.Truthy(connection.Arg("fields")))
        {
            CgDirective? key;
            if (JsValues.Truthy(keyName))
            {
                key = connectedModel.Directives.Find(d => d.Name == "key" && Equals(d.Arg("name"), keyName))
                    ?? throw Errors.At(model, field,
                        $"Error processing @connection directive on {model.Name}.{field.Name}, @key directive with name " +
                        $"{JsValues.ToJsString(keyName)} was not found in connected model {connectedModel.Name}");
            }
            else
            {
                key = connectedModel.Directives.Find(d => d.Name == "key" && JsValues.IsUndefined(d.Arg("name")));
            }

            var connectedFieldName = key is null ? PrimaryKeys.IdField : FirstName(key.Arg("fields"));
            var otherSideConnected = connectedModel.Fields.Find(f => f.Directives.Exists(d => d.Name == "connection"
                && FirstName(d.Arg("fields")) == connectedFieldName));
            if (otherSideConnected is not null)
            {
                return otherSideConnected;
            }

            return connectedModel.Fields.Find(f => f.Name == connectedFieldName)
                ?? throw Errors.At(model, field, $"Can not find key field {connectedFieldName} in {connectedModel.Name}");
        }

        if (JsValues.Truthy(connectionName))
        {
            return connectedModel.Fields.Find(f => f != field
                    && f.Directives.Exists(d => d.Name == "connection" && Equals(d.Arg("name"), connectionName)))
                ?? throw Errors.At(model, field,
                    $"Can not find key field with connection name {JsValues.ToJsString(connectionName)} in {connectedModel.Name}");
        }

        var name = Relations.ConnectionAttributeName(model.Name, field.Name);
        return connectedModel.Field(name) ?? Relations.ImplicitField(name);
    }

    private static string? FirstName(object? fields) =>
        fields is JsArray { Count: > 0 } array ? array[0] as string : null;
}
