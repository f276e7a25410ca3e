using System.Diagnostics.CodeAnalysis;

namespace Ampstack.ModelGen.Js;

/// <summary>
/// A JavaScript-like value model: <c>null</c> is JS null, <see cref="JsUndefined.Value"/> is undefined,
/// strings, <see cref="double"/> numbers, <see cref="bool"/>, <see cref="JsArray"/> and <see cref="JsObject"/>.
/// The reference generator's output order follows JS object semantics, which these types reproduce.
/// </summary>
internal sealed class JsUndefined
{
    public static readonly JsUndefined Value = new();

    private JsUndefined()
    {
    }
}

/// <summary>A JS array.</summary>
internal sealed class JsArray : List<object?>
{
    public JsArray()
    {
    }

    public JsArray(IEnumerable<object?> items)
        : base(items)
    {
    }
}

/// <summary>
/// A JS object's property order: array-index keys ("0", "17") first in numeric order, then the other keys in
/// insertion order; assigning an existing key keeps its position. Most objects have a handful of keys, so entries
/// live in a list, with an index only for large objects.
/// </summary>
internal sealed class JsObject
{
    private const int IndexThreshold = 12;

    private readonly List<KeyValuePair<string, object?>> _entries = [];
    private Dictionary<string, int>? _index;
    private bool _hasIndexKeys;

    public int Count => _entries.Count;

    /// <summary>The properties in JS enumeration order.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Entries =>
        _hasIndexKeys
            ? [.. _entries.Where(e => IsArrayIndex(e.Key))
                   .OrderBy(e => uint.Parse(e.Key, System.Globalization.CultureInfo.InvariantCulture)),
               .. _entries.Where(e => !IsArrayIndex(e.Key))]
            : _entries;

    /// <summary>JS property read: missing keys read as undefined.</summary>
    public object? this[string key]
    {
        get => TryGet(key, out var value) ? value : JsUndefined.Value;
        set => Set(key, value);
    }

    public bool TryGet(string key, [MaybeNullWhen(false)] out object? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _entries[i].Value : null;
        return i >= 0;
    }

    public void Set(string key, object? value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            _entries[i] = new KeyValuePair<string, object?>(key, value);
            return;
        }

        _entries.Add(new KeyValuePair<string, object?>(key, value));
        _hasIndexKeys |= IsArrayIndex(key);
        if (_index is not null)
        {
            _index[key] = _entries.Count - 1;
        }
        else if (_entries.Count > IndexThreshold)
        {
            _index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var j = 0; j < _entries.Count; j++)
            {
                _index[_entries[j].Key] = j;
            }
        }
    }

    /// <summary>Object spread: <c>{...this, ...other}</c> in place.</summary>
    public JsObject SpreadFrom(JsObject other)
    {
        foreach (var (key, value) in other.Entries)
        {
            Set(key, value);
        }

        return this;
    }

    /// <summary>A shallow copy, like <c>{...obj}</c>.</summary>
    public JsObject Clone() => new JsObject().SpreadFrom(this);

    /// <summary>A canonical array index: "0" or digits without a leading zero, below 2^32 - 1.</summary>
    private static bool IsArrayIndex(string key) =>
        key.Length is > 0 and <= 10
        && (key.Length == 1 || key[0] != '0')
        && key.All(char.IsAsciiDigit)
        && ulong.Parse(key, System.Globalization.CultureInfo.InvariantCulture) < uint.MaxValue;

    private int IndexOf(string key)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(key, out var i) ? i : -1;
        }

        for (var i = 0; i < _entries.Count; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
