using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;
using Ampstack.ModelGen.Processing;
using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Output;

/// <summary>
/// The introspection schema's <c>conversations</c> (the plugin's process-conversation.js): each <c>@conversation</c>
/// mutation becomes an AI conversation route with two fixed models, the role enum and its send/subscribe operations.
/// The key order below is the order of the plugin's object literals, with its undefined members left out.
/// </summary>
internal sealed partial class MetadataWriter
{
    private const string RoleEnum = "AmplifyAIConversationParticipantRole";

    private void WriteConversations(JsonText json, IEnumerable<CgField> routes)
    {
        var written = false;
        foreach (var route in routes)
        {
            if (!written)
            {
                json.Key("conversations"u8).BeginObject();
                written = true;
            }

            // generateGraphQLOperationMetadata resolves the route's own type first (an unknown one fails), then
            // `send` replaces it with the message model, keeping the member where it was.
            if (KindOf(route.Type) is null)
            {
                throw Errors.At(route.Pos, route.Name, $"Unknown type {route.Type} found during model introspection schema generation");
            }

            var routeName = ChangeCase.PascalCase(route.Name);
            var conversation = "Conversation" + routeName;
            var message = "ConversationMessage" + routeName;
            json.Key(route.Name).BeginObject().Member("name"u8, route.Name).Key("models"u8).BeginObject();
            json.Key(conversation);
            WriteConversationModel(json, conversation, message);
            json.Key(message);
            WriteConversationMessageModel(json, conversation, message);
            json.EndObject().Key("nonModels"u8).BeginObject().EndObject();
            json.Key("enums"u8).BeginObject().Key("ConversationParticipantRole"u8).BeginObject()
                .Member("name"u8, RoleEnum).Key("values"u8).BeginArray().Element().Value("user").Element().Value("assistant").EndArray()
                .EndObject().EndObject();
            json.Key("conversation"u8).BeginObject().Member("modelName"u8, conversation).EndObject();
            json.Key("message"u8).BeginObject().Member("modelName"u8, message).Key("send"u8);
            WriteOperation(json, route, new FieldType(TypeKind.Model, message));
            json.Key("subscribe"u8).BeginObject()
                .Member("isArray"u8, false).Member("isRequired"u8, false).Member("name"u8, "onCreateAssistantResponse" + routeName)
                .Key("type"u8).BeginObject().Member("nonModel"u8, "AmplifyAIConversationMessageStreamPart").EndObject()
                .Key("arguments"u8).BeginObject().Key("conversationId"u8).BeginObject()
                .Member("name"u8, "conversationId").Member("isArray"u8, false).Member("isRequired"u8, true).Member("type"u8, "ID")
                .EndObject().EndObject().EndObject();
            json.EndObject().EndObject();
        }

        if (written)
        {
            json.EndObject();
        }
    }

    private static void WriteConversationModel(JsonText json, string name, string messageModel)
    {
        json.BeginObject().Member("name"u8, name).Key("fields"u8).BeginObject();
        ConversationField(json, "id", "ID", isRequired: true).EndObject();
        ConversationField(json, "name", "String").EndObject();
        ConversationField(json, "metadata", "AWSJSON").EndObject();
        ConversationField(json, "messages", new FieldType(TypeKind.Model, messageModel), isArray: true, isArrayNullable: true)
            .Key("association"u8).BeginObject().Member("connectionType"u8, "HAS_MANY")
            .Key("associatedWith"u8).BeginArray().Element().Value("conversationId").EndArray().EndObject().EndObject();
        TimestampFields(json);
        ConversationField(json, "owner", "String").EndObject();
        json.EndObject();
        ConversationModelTail(json, name, conversationModel: true);
    }

    private static void WriteConversationMessageModel(JsonText json, string conversationModel, string name)
    {
        json.BeginObject().Member("name"u8, name).Key("fields"u8).BeginObject();
        ConversationField(json, "id", "ID", isRequired: true).EndObject();
        ConversationField(json, "conversationId", "ID", isRequired: true).EndObject();
        ConversationField(json, "conversation", new FieldType(TypeKind.Model, conversationModel))
            .Key("association"u8).BeginObject().Member("connectionType"u8, "BELONGS_TO")
            .Key("targetNames"u8).BeginArray().Element().Value("conversationId").EndArray().EndObject().EndObject();
        ConversationField(json, "role", new FieldType(TypeKind.Enum, RoleEnum)).EndObject();
        ConversationField(json, "content", new FieldType(TypeKind.NonModel, "AmplifyAIContentBlock"), isArray: true).EndObject();
        ConversationField(json, "aiContext", "AWSJSON").EndObject();
        ConversationField(json, "toolConfiguration", new FieldType(TypeKind.NonModel, "AmplifyAIToolConfiguration"), isArray: true,
            isArrayNullable: true).EndObject();
        TimestampFields(json);
        json.EndObject();
        ConversationModelTail(json, name, conversationModel: false);
    }

    private static void TimestampFields(JsonText json)
    {
        ConversationField(json, "createdAt", "AWSDateTime", isReadOnly: true).EndObject();
        ConversationField(json, "updatedAt", "AWSDateTime", isReadOnly: true).EndObject();
    }

    /// <summary>syncable, pluralName, the model and owner-auth attributes and the primary key; closes the model.</summary>
    private static void ConversationModelTail(JsonText json, string name, bool conversationModel)
    {
        json.Member("syncable"u8, true).Member("pluralName"u8, Pluralizer.Plural(name)).Key("attributes"u8).BeginArray();
        json.Element().BeginObject().Member("type"u8, "model").Key("properties"u8).BeginObject().Key("subscriptions"u8).BeginObject();
        if (conversationModel)
        {
            json.Member("level"u8, "off").EndObject().Key("mutations"u8).BeginObject().Key("update"u8).Value((object?)null).EndObject();
        }
        else
        {
            json.EndObject();
        }

        json.EndObject().EndObject();
        json.Element().BeginObject().Member("type"u8, "auth").Key("properties"u8).BeginObject().Key("rules"u8).BeginArray()
            .Element().BeginObject().Member("provider"u8, "userPools").Member("ownerField"u8, "owner").Member("allow"u8, "owner")
            .Member("identityClaim"u8, "cognito:username").Key("operations"u8).BeginArray()
            .Element().Value("create").Element().Value("update").Element().Value("delete").Element().Value("read").EndArray()
            .EndObject().EndArray().EndObject().EndObject();
        json.EndArray().Key("primaryKeyInfo"u8).BeginObject().Member("isCustomPrimaryKey"u8, false)
            .Member("primaryKeyFieldName"u8, "id").Key("sortKeyFieldNames"u8).BeginArray().EndArray().EndObject();
        json.EndObject();
    }

    private static JsonText ConversationField(JsonText json, string name, string scalar, bool isRequired = false,
        bool isReadOnly = false) =>
        ConversationField(json, name, new FieldType(TypeKind.Scalar, scalar), isRequired: isRequired, isReadOnly: isReadOnly);

    /// <summary>
    /// process-conversation's <c>generateField</c>: name, type, attributes, isArray, isRequired, then isReadOnly and
    /// isArrayNullable when set. Leaves the field open for an association.
    /// </summary>
    private static JsonText ConversationField(JsonText json, string name, FieldType type, bool isRequired = false,
        bool isArray = false, bool? isArrayNullable = null, bool isReadOnly = false)
    {
        json.Key(name).BeginObject().Member("name"u8, name).Key("type"u8);
        WriteTypeName(json, type);
        json.Key("attributes"u8).BeginArray().EndArray().Member("isArray"u8, isArray).Member("isRequired"u8, isRequired);
        if (isReadOnly)
        {
            json.Member("isReadOnly"u8, true);
        }

        if (isArray && isArrayNullable is { } nullable)
        {
            json.Member("isArrayNullable"u8, nullable);
        }

        return json;
    }
}
