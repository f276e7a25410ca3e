using System.Globalization;

namespace Ampstack.ModelGen.Js;

/// <summary>JavaScript value semantics used by the port of the reference codegen.</summary>
internal static class JsValues
{
    public static bool IsUndefined(object? value) => value is JsUndefined;

    public static bool IsNullish(object? value) => value is null or JsUndefined;

    /// <summary>JS truthiness.</summary>
    public static bool Truthy(object? value) => value switch
    {
        null or JsUndefined => false,
        bool b => b,
        string s => s.Length > 0,
        double d => d != 0 && !double.IsNaN(d),
        _ => true,
    };

    /// <summary>JS <c>String(value)</c> for the primitive values the ported code can meet.</summary>
    public static string ToJsString(object? value) => value switch
    {
        null => "null",
        JsUndefined => "undefined",
        string s => s,
        bool b => b ? "true" : "false",
        double d => NumberToString(d),
        JsArray a => string.Join(",", a.Select(v => IsNullish(v) ? string.Empty : ToJsString(v))),
        _ => "[object Object]",
    };

    /// <summary>JS <c>Number.prototype.toString()</c>.</summary>
    public static string NumberToString(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }

        if (d == 0)
        {
            return "0";
        }

        // Shortest round-trip digits, then laid out the way ECMAScript Number::toString does.
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = shortest.StartsWith('-');
        if (negative)
        {
            shortest = shortest[1..];
        }

        var (digits, exponent) = Decompose(shortest);
        var k = digits.Length;
        var n = exponent; // value = 0.digits * 10^n
        string result;
        if (k <= n && n <= 21)
        {
            result = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            result = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            var sign = e >= 0 ? "+" : "-";
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            result = mantissa + "e" + sign + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }

        return negative ? "-" + result : result;
    }

    private static (string Digits, int Exponent) Decompose(string roundTrip)
    {
        var exponent = 0;
        var mantissa = roundTrip;
        var ePos = roundTrip.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(roundTrip[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..ePos];
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : string.Empty;
        var all = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - all.Length;
        var n = intPart.Length - leadingZeros + exponent;
        all = all.TrimEnd('0');
        return (all.Length == 0 ? "0" : all, n);
    }
}
