using System.Buffers;
using System.Globalization;

namespace Ampstack.ModelGen.Js;

/// <summary>
/// Writes JSON exactly as <c>JSON.stringify(value, null, indent)</c> lays it out (and compact when indent is 0), either
/// from JS values or streamed member by member: empty objects and arrays are <c>{}</c> and <c>[]</c>, undefined
/// object members are left out, and strings are escaped the way V8 escapes them.
/// </summary>
internal sealed class JsonText : IDisposable
{
    private readonly int _indent;
    private char[] _buffer;
    private int _length;

    /// <summary>Per open object or array (innermost last): whether it has a member yet.</summary>
    private bool[] _hasMembers = new bool[16];
    private int _depth;

    /// <summary>A writer into a pooled buffer (of at least <paramref name="capacity"/> chars): call <see cref="Dispose"/> to give it back.</summary>
    public JsonText(int indent, int capacity = 4096)
    {
        _indent = indent;
        _buffer = ArrayPool<char>.Shared.Rent(capacity);
    }

    /// <summary><c>JSON.stringify(value, null, indent)</c>.</summary>
    public static string Stringify(object? value, int indent = 0)
    {
        using var json = new JsonText(indent);
        json.Value(value);
        return json.ToString();
    }

    public override string ToString() => new(_buffer, 0, _length);

    /// <summary>The text written so far.</summary>
    public ReadOnlySpan<char> Written => _buffer.AsSpan(0, _length);

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }

    public JsonText BeginObject()
    {
        Append('{');
        Open();
        return this;
    }

    public JsonText EndObject() => End('}', "{}");

    public JsonText BeginArray()
    {
        Append('[');
        Open();
        return this;
    }

    public JsonText EndArray() => End(']', "[]");

    /// <summary>Starts an object member; its value must follow.</summary>
    public JsonText Key(string name)
    {
        NextMember();
        WriteString(name);
        Append(_indent > 0 ? ": " : ":");
        return this;
    }

    /// <summary>Starts an array element; its value must follow.</summary>
    public JsonText Element()
    {
        NextMember();
        return this;
    }

    public JsonText Value(string value)
    {
        WriteString(value);
        return this;
    }

    public JsonText Value(bool value)
    {
        Append(value ? "true" : "false");
        return this;
    }

    /// <summary>Any JS value (undefined is written as null, as JSON.stringify does in arrays).</summary>
    public JsonText Value(object? value)
    {
        switch (value)
        {
            case null or JsUndefined:
                Append("null");
                break;
            case string s:
                WriteString(s);
                break;
            case bool b:
                Value(b);
                break;
            case double d:
                Append(double.IsFinite(d) ? Js.NumberToString(d) : "null");
                break;
            case JsArray array:
                BeginArray();
                foreach (var item in array)
                {
                    Element().Value(item);
                }

                EndArray();
                break;
            case JsObject obj:
                BeginObject();
                foreach (var (key, item) in obj.Entries)
                {
                    if (item is not JsUndefined)
                    {
                        Key(key).Value(item);
                    }
                }

                EndObject();
                break;
            default:
                throw new InvalidOperationException($"Cannot serialize {value.GetType().Name} as JSON.");
        }

        return this;
    }

    /// <summary><c>"key": "value"</c>.</summary>
    public JsonText Member(string key, string value) => Key(key).Value(value);

    /// <summary><c>"key": true</c>.</summary>
    public JsonText Member(string key, bool value) => Key(key).Value(value);

    private void Open()
    {
        if (_depth == _hasMembers.Length)
        {
            Array.Resize(ref _hasMembers, _depth * 2);
        }

        _hasMembers[_depth++] = false;
    }

    private void NextMember()
    {
        ref var hasMembers = ref _hasMembers[_depth - 1];
        if (hasMembers)
        {
            Append(',');
        }

        hasMembers = true;
        NewLine(_depth);
    }

    private JsonText End(char close, string empty)
    {
        if (_hasMembers[--_depth])
        {
            NewLine(_depth);
            Append(close);
        }
        else
        {
            _length--;
            Append(empty);
        }

        return this;
    }

    private void NewLine(int depth)
    {
        if (_indent > 0)
        {
            var count = 1 + (_indent * depth);
            var span = Reserve(count);
            span[0] = '\n';
            span[1..count].Fill(' ');
            _length += count;
        }
    }

    private void Append(char c)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = c;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        text.CopyTo(Reserve(text.Length));
        _length += text.Length;
    }

    private Span<char> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Grow(count);
        }

        return _buffer.AsSpan(_length, count);
    }

    private void Grow(int count)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>JSON.stringify string quoting (well-formed: lone surrogates are escaped).</summary>
    private void WriteString(string s)
    {
        if (!s.AsSpan().ContainsAnyExceptInRange(' ', '~') && !s.AsSpan().ContainsAny('"', '\\'))
        {
            // The common case (printable ASCII without quote or backslash, as GraphQL names are): the text as it is, in one copy.
            var span = Reserve(s.Length + 2);
            span[0] = '"';
            s.CopyTo(span[1..]);
            span[^1] = '"';
            _length += s.Length + 2;
            return;
        }

        Append('"');
        var run = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c >= 0x20 && c != '"' && c != '\\' && !char.IsSurrogate(c))
            {
                continue;
            }

            Append(s.AsSpan(run, i - run));
            run = i + 1;
            switch (c)
            {
                case '"': Append("\\\""); break;
                case '\\': Append("\\\\"); break;
                case '\b': Append("\\b"); break;
                case '\f': Append("\\f"); break;
                case '\n': Append("\\n"); break;
                case '\r': Append("\\r"); break;
                case '\t': Append("\\t"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        Append(c);
                        Append(s[++i]);
                        run = i + 1;
                    }
                    else
                    {
                        Append("\\u");
                        Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        Append(s.AsSpan(run));
        Append('"');
    }
}
