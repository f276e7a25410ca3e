using Ampstack.Aws.Auth;

namespace Ampstack.Provisioning;

/// <summary>
/// Where resources are made (<c>--provision-endpoint</c>): one URL for every service (moto, LocalStack), or AWS's regional
/// endpoints (<c>aws</c>), and the credentials the calls are signed with.
/// </summary>
/// <param name="Url">The one endpoint of every service; null for AWS's own endpoints.</param>
/// <param name="Credentials">What the calls are signed with.</param>
public sealed record ProvisioningEndpoint(Uri? Url, AwsCredentials Credentials)
{
    /// <summary>The value that means AWS's own regional endpoints.</summary>
    public const string Aws = "aws";

    /// <summary>
    /// Reads <c>--provision-endpoint</c>: <c>aws</c>, or an absolute http(s) URL without query or fragment; throws
    /// <see cref="FormatException"/> naming the option otherwise.
    /// </summary>
    public static Uri? ParseUrl(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim().Equals(Aws, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment)
            ? url
            : throw new FormatException(
                $"--provision-endpoint: '{text}' is neither aws nor an http(s) URL such as http://127.0.0.1:5000.");
    }

    /// <summary>What the start line says: the URL, or <c>AWS</c>.</summary>
    public string Where => Url?.ToString().TrimEnd('/') ?? "AWS";

    /// <summary>The endpoint of <paramref name="endpointPrefix"/> (the model's, e.g. <c>cognito-idp</c>) in a region.</summary>
    public Uri For(string endpointPrefix, string region) => Url ?? endpointPrefix switch
    {
        "iam" => new Uri(region.StartsWith("cn-", StringComparison.Ordinal) ? "https://iam.cn-north-1.amazonaws.com.cn"
            : "https://iam.amazonaws.com"),
        _ => new Uri($"https://{endpointPrefix}.{region}.amazonaws.com{(region.StartsWith("cn-", StringComparison.Ordinal) ? ".cn" : "")}"),
    };

    /// <summary>The region a service's calls are signed for: IAM is global and signs for us-east-1 (cn-north-1 in China).</summary>
    public static string SigningRegion(string endpointPrefix, string region) => endpointPrefix == "iam"
        ? region.StartsWith("cn-", StringComparison.Ordinal) ? "cn-north-1" : "us-east-1"
        : region;
}
