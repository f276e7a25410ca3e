using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Ampstack.ModelGen.Js;

/// <summary>
/// Writes JSON exactly as <c>JSON.stringify(value, null, indent)</c> lays it out (and compact when indent is 0), either
/// from JS values or streamed member by member: empty objects and arrays are <c>{}</c> and <c>[]</c>, undefined
/// object members are left out, and strings are escaped the way V8 escapes them. The text is kept as UTF-8 in a
/// pooled buffer, so a large output costs no large allocation of its own.
/// </summary>
internal sealed class JsonText : IDisposable
{
    /// <summary>Printable ASCII that JSON strings carry as it is (all but the quote and the backslash).</summary>
    private static readonly SearchValues<char> PlainAscii =
        SearchValues.Create(" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private readonly int _indent;
    private byte[] _buffer;
    private int _length;

    /// <summary>Per open object or array (innermost last): whether it has a member yet.</summary>
    private bool[] _hasMembers = new bool[16];
    private int _depth;

    /// <summary>
    /// A writer into a pooled buffer (of at least <paramref name="capacity"/> bytes): call <see cref="Dispose"/> to
    /// give it back.
    /// </summary>
    public JsonText(int indent, int capacity = 4096)
    {
        _indent = indent;
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    /// <summary><c>JSON.stringify(value, null, indent)</c>.</summary>
    public static string Stringify(object? value, int indent = 0)
    {
        using var json = new JsonText(indent);
        json.Value(value);
        return json.ToString();
    }

    public override string ToString() => Encoding.UTF8.GetString(_buffer, 0, _length);

    /// <summary>The text written so far, in UTF-8.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }

    public JsonText BeginObject()
    {
        Append('{');
        Open();
        return this;
    }

    public JsonText EndObject() => End('}', "{}"u8);

    public JsonText BeginArray()
    {
        Append('[');
        Open();
        return this;
    }

    public JsonText EndArray() => End(']', "[]"u8);

    /// <summary>Starts an object member; its value must follow.</summary>
    public JsonText Key(string name)
    {
        NextMember();
        WriteString(name);
        Append(_indent > 0 ? ": "u8 : ":"u8);
        return this;
    }

    /// <summary>Starts an object member named by a literal that needs no escaping (<c>"name"u8</c>); its value must follow.</summary>
    public JsonText Key(ReadOnlySpan<byte> plainName)
    {
        NextMember();
        var span = Reserve(plainName.Length + 2);
        span[0] = (byte)'"';
        plainName.CopyTo(span[1..]);
        span[^1] = (byte)'"';
        _length += plainName.Length + 2;
        Append(_indent > 0 ? ": "u8 : ":"u8);
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
        Append(value ? "true"u8 : "false"u8);
        return this;
    }

    /// <summary>Any JS value (undefined is written as null, as JSON.stringify does in arrays).</summary>
    public JsonText Value(object? value)
    {
        switch (value)
        {
            case null or JsUndefined:
                Append("null"u8);
                break;
            case string s:
                WriteString(s);
                break;
            case bool b:
                Value(b);
                break;
            case double d:
                AppendAscii(double.IsFinite(d) ? JsValues.NumberToString(d) : "null");
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
                throw new UnreachableException($"Cannot serialize {value.GetType().Name} as JSON.");
        }

        return this;
    }

    /// <summary><c>"key": "value"</c>.</summary>
    public JsonText Member(string key, string value) => Key(key).Value(value);

    /// <summary><c>"key": true</c>.</summary>
    public JsonText Member(string key, bool value) => Key(key).Value(value);

    /// <summary><c>"key": "value"</c> with a literal key (see <see cref="Key(ReadOnlySpan{byte})"/>).</summary>
    public JsonText Member(ReadOnlySpan<byte> plainKey, string value) => Key(plainKey).Value(value);

    /// <summary><c>"key": true</c> with a literal key (see <see cref="Key(ReadOnlySpan{byte})"/>).</summary>
    public JsonText Member(ReadOnlySpan<byte> plainKey, bool value) => Key(plainKey).Value(value);

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

    private JsonText End(char close, ReadOnlySpan<byte> empty)
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
            span[0] = (byte)'\n';
            span[1..count].Fill((byte)' ');
            _length += count;
        }
    }

    private void Append(char ascii)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = (byte)ascii;
    }

    private void Append(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Reserve(utf8.Length));
        _length += utf8.Length;
    }

    /// <summary>Text known to be ASCII (numbers, escapes).</summary>
    private void AppendAscii(ReadOnlySpan<char> ascii)
    {
        Encoding.ASCII.GetBytes(ascii, Reserve(ascii.Length));
        _length += ascii.Length;
    }

    /// <summary>Any text without lone surrogates, transcoded to UTF-8.</summary>
    private void AppendText(ReadOnlySpan<char> text)
    {
        Utf8.FromUtf16(text, Reserve(Encoding.UTF8.GetMaxByteCount(text.Length)), out _, out var written);
        _length += written;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Grow(count);
        }

        return _buffer.AsSpan(_length, count);
    }

    private void Grow(int count)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>JSON.stringify string quoting (well-formed: lone surrogates are escaped).</summary>
    private void WriteString(string s)
    {
        if (!s.AsSpan().ContainsAnyExcept(PlainAscii))
        {
            // The common case (printable ASCII without quote or backslash, as GraphQL names are): the text as it is, in one copy.
            var span = Reserve(s.Length + 2);
            span[0] = (byte)'"';
            Encoding.ASCII.GetBytes(s, span[1..]);
            span[^1] = (byte)'"';
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

            AppendText(s.AsSpan(run, i - run));
            run = i + 1;
            switch (c)
            {
                case '"': Append("\\\""u8); break;
                case '\\': Append("\\\\"u8); break;
                case '\b': Append("\\b"u8); break;
                case '\f': Append("\\f"u8); break;
                case '\n': Append("\\n"u8); break;
                case '\r': Append("\\r"u8); break;
                case '\t': Append("\\t"u8); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        AppendText(s.AsSpan(i++, 2));
                        run = i + 1;
                    }
                    else
                    {
                        Append("\\u"u8);
                        AppendAscii(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        AppendText(s.AsSpan(run));
        Append('"');
    }
}
