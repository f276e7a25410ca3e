using System.Security.Cryptography;
using System.Text;

namespace Ampstack.Domain.Resources;

/// <summary>Identifies a schema text, to tell whether generated models are from the current schema.</summary>
public static class SchemaHash
{
    public static string Of(string schema) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schema)));
}
