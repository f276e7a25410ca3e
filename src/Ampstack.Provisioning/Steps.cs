using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Ampstack.Aws.Client;

namespace Ampstack.Provisioning;

/// <summary>What an endpoint's answer means to a provisioning step.</summary>
internal static class Steps
{
    /// <summary>
    /// The endpoint does not implement the operation: moto answers an unimplemented action with a 500 HTML page and an
    /// unknown route with a 404 page (no error code of the model), LocalStack with <c>NotImplementedException</c> or 501.
    /// </summary>
    public static bool NotImplemented(AwsServiceException error) =>
        (error.ErrorShape is null && error.StatusCode is 404 or 500 or 501 && error.ErrorCode is "404" or "500" or "501")
        || error.ErrorCode is "NotImplementedException" or "NotImplemented" or "InternalFailure" && error.StatusCode == 501;

    /// <summary>The thing named is not there (deleting it is then done already).</summary>
    public static bool NotFound(AwsServiceException error) =>
        error.ErrorCode is "ResourceNotFoundException" or "NoSuchEntity" or "NotFoundException" or "NoSuchBucket";

    /// <summary>A failure as a job's error: the endpoint's error code and message, or why it could not be reached.</summary>
    public static string Describe(AwsClientException error) => error switch
    {
        AwsServiceException e => $"{e.Operation} failed on the provisioning endpoint with {e.ErrorCode}" +
            (e.ErrorMessage.Length > 0 ? $": {e.ErrorMessage}" : $" (HTTP {e.StatusCode})"),
        _ => error.Message,
    };
}

/// <summary>Paged listings through the model-driven client.</summary>
internal static class Listing
{
    /// <summary>
    /// Every item of <paramref name="listMember"/> over the pages of <paramref name="operation"/>, asking for
    /// <paramref name="pageSize"/> a page; each page's <paramref name="tokenMember"/> is passed on to the next.
    /// </summary>
    public static async IAsyncEnumerable<JsonNode> AllAsync(AwsServiceClient client, string operation, JsonObject input,
        string listMember, string pageSizeMember, int pageSize, string tokenMember,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            var page = (JsonObject)input.DeepClone();
            page[pageSizeMember] = pageSize;
            if (next is not null)
            {
                page[tokenMember] = next;
            }

            var answer = await client.InvokeAsync(operation, page, cancellationToken).ConfigureAwait(false);
            foreach (var item in answer[listMember]?.AsArray() ?? [])
            {
                if (item is not null)
                {
                    yield return item;
                }
            }

            next = (string?)answer[tokenMember];
        }
        while (next is not null);
    }
}
