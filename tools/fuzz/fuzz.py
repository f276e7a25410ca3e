#!/usr/bin/env python3
"""Deterministic, seedable HTTP fuzzer for Ampstack (the AWS Amplify Admin API, rest-json).

Standard library only. Every route of the vendored botocore model gets malformed and hostile requests (broken JSON,
wrong types, bad enums, missing and duplicated members, deep nesting, huge strings and arrays, odd path labels, wrong
methods and content types, broken authorization), raw-socket abuse of the HTTP layer, and valid calls in the wrong
order. Each answer is checked against docs/contract.md: a 4xx in the service's error shape or a 2xx
where the request was valid, never a 5xx, never a hang, no state change from a rejected request, and a healthy server
afterwards. See README.md next to this file.
"""

import argparse
import collections
import copy
import datetime
import hashlib
import hmac
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "launcher"))
import ampstack_launcher  # noqa: E402  (the shared launcher: starts a server and reads its --ready-file)
import moto_endpoint  # noqa: E402  (--provision moto / --provision-endpoint: provisioning on, issue 23)

MIB = 1024 * 1024
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SPEC = os.path.normpath(os.path.join(HERE, "..", "..", "spec", "amplifybackend", "2020-08-11", "service-2.json"))
COMMON_403 = ("MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidSignatureException",
              "UnrecognizedClientException")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
SCHEMA = "type Todo @model {\n  id: ID!\n  name: String!\n  description: String\n}\n"
DELETE = object()  # an override that removes a member


# =====================================================================================================================
# The service model
# =====================================================================================================================

class Op:
    def __init__(self, model, name, spec):
        self.name = name
        self.method = spec["http"]["method"]
        self.uri = spec["http"]["requestUri"]
        self.input = spec.get("input", {}).get("shape")
        self.output = spec.get("output", {}).get("shape")
        self.errors = [e["shape"] for e in spec.get("errors", [])]
        self.parts = []  # ("lit", text) or ("label", wire name)
        for part in self.uri.split("?")[0].split("/")[1:]:
            if part.startswith("{") and part.endswith("}"):
                self.parts.append(("label", part[1:-1].rstrip("+")))
            else:
                self.parts.append(("lit", part))
        self.literals = sum(1 for kind, _ in self.parts if kind == "lit")
        self.uri_members = []
        self.body_members = []  # (wire, member name, shape, required)
        if self.input:
            shape = model.shapes[self.input]
            required = set(shape.get("required", []))
            for mname, m in shape["members"].items():
                wire = m.get("locationName", mname)
                if m.get("location") == "uri":
                    self.uri_members.append(wire)
                elif m.get("location") is None:
                    self.body_members.append((wire, mname, m["shape"], mname in required))
        self.readonly = name.startswith(("Get", "List"))
        self.requires_body = any(req for _, _, _, req in self.body_members)

    def path(self, labels):
        """The path with the labels filled in; str labels are percent-encoded, bytes are used exactly as given."""
        segs = []
        for kind, text in self.parts:
            if kind == "lit":
                segs.append(text.encode())
            else:
                value = labels[text]
                segs.append(value if isinstance(value, bytes) else urllib.parse.quote(value, safe="").encode("ascii"))
        return b"/" + b"/".join(segs)


class Model:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        self.shapes = m["shapes"]
        self.metadata = m["metadata"]
        self.ops = {name: Op(self, name, spec) for name, spec in sorted(m["operations"].items())}
        self.error_status = {n: s.get("error", {}).get("httpStatusCode", 400)
                             for n, s in self.shapes.items() if s.get("exception")}
        self.routes = sorted(self.ops.values(), key=lambda o: -o.literals)

    def members(self, shape_name):
        """(wire, member name, shape name, required) of a structure's body members."""
        s = self.shapes[shape_name]
        required = set(s.get("required", []))
        return [(m.get("locationName", n), n, m["shape"], n in required) for n, m in s.get("members", {}).items()
                if m.get("location") is None]

    # -- the server's router, emulated to know whether a mangled request still names some operation ------------------
    def route(self, method, target):
        """(op, decoded labels) the server would pick for this method and raw target, or None (a 404)."""
        path = target.split(b"?", 1)[0]
        if not path.startswith(b"/"):
            parsed = urllib.parse.urlsplit(path.decode("latin-1"))
            if not parsed.scheme:
                return None
            path = (parsed.path or "/").encode("latin-1")
        text = path.decode("latin-1")
        if text.startswith("/prod/"):
            text = text[5:]
        segs = text.strip().rstrip("/").split("/")[1:]
        for op in self.routes:
            if op.method.upper() != method.upper() or len(segs) != len(op.parts):
                continue
            labels = {}
            for (kind, name), seg in zip(op.parts, segs):
                if kind == "lit":
                    if name != unescape(seg):
                        break
                else:
                    labels[name] = unescape(seg)
            else:
                return op, labels
        return None

    def gen_valid(self, shape_name, hint, depth=0):
        """A valid value of a shape with every member present (enums take their first values)."""
        s = self.shapes[shape_name]
        t = s["type"]
        if t == "string":
            return s["enum"][0] if "enum" in s else "fz-" + re.sub("[^a-z0-9]", "", hint.lower())[:24]
        if t == "boolean":
            return True
        if t in ("integer", "long"):
            return max(s.get("min", 1), min(s.get("max", 10), 10))
        if t in ("double", "float"):
            return 8.0
        if t == "timestamp":
            return 1767225600
        if t == "list":
            element = s["member"]["shape"]
            es = self.shapes[element]
            if "enum" in es:
                return list(es["enum"][:3])
            return [self.gen_valid(element, hint, depth + 1)]
        if t == "map":
            return {"k": self.gen_valid(s["value"]["shape"], hint, depth + 1)}
        if t == "structure":
            if depth > 12:
                return {}
            return {w: self.gen_valid(sh, w, depth + 1) for w, _, sh, _ in self.members(shape_name)}
        return None


def unescape(seg):
    """Uri.UnescapeDataString, near enough: %XX sequences that decode to UTF-8 are decoded, anything else stays."""
    out = []
    i = 0
    raw = bytearray()

    def flush():
        if raw:
            out.append(raw.decode("utf-8", errors="surrogateescape"))
            raw.clear()

    while i < len(seg):
        c = seg[i]
        if c == "%" and i + 2 < len(seg) + 0 and re.match(r"[0-9A-Fa-f]{2}", seg[i + 1:i + 3]):
            raw.append(int(seg[i + 1:i + 3], 16))
            i += 3
            continue
        flush()
        out.append(c)
        i += 1
    flush()
    return "".join(out)


def label_problem(value):
    """Why an identifier in a path label is invalid (Identifiers.Require), or None; '?' when it cannot be told."""
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in value):
        return "?"  # bytes that are not UTF-8: the server's decoding differs from this emulation
    if value == "":
        return "empty"
    if len(value.encode("utf-16-le")) // 2 > 255:
        return "too long"
    if any(unicodedata.category(c) == "Cc" for c in value):
        return "control character"
    return None


# =====================================================================================================================
# JSON text with the things json.dumps will not write: raw fragments, duplicate keys, invalid strings
# =====================================================================================================================

class Raw(str):
    """A JSON fragment written as is."""


class Pairs(list):
    """An object as a list of (key, value): keys may repeat."""


def enc(v, ascii_only=True):
    if isinstance(v, Raw):
        return str(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=ascii_only or any(0xD800 <= ord(c) <= 0xDFFF for c in v))
    if isinstance(v, (list, tuple)) and not isinstance(v, Pairs):
        return "[" + ",".join(enc(x, ascii_only) for x in v) + "]"
    items = v if isinstance(v, Pairs) else v.items()
    return "{" + ",".join(enc(k, ascii_only) + ":" + enc(x, ascii_only) for k, x in items) + "}"


def enc_bytes(v, ascii_only=True):
    return enc(v, ascii_only).encode("utf-8", errors="surrogatepass")


def get_at(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def set_at(obj, path, value):
    parent = get_at(obj, path[:-1])
    if isinstance(parent, Pairs):
        for i, (k, _) in enumerate(parent):
            if k == path[-1]:
                parent[i] = (k, value)
                return
        parent.append((path[-1], value))
    else:
        parent[path[-1]] = value


def del_at(obj, path):
    parent = get_at(obj, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)
    elif isinstance(parent, list) and isinstance(path[-1], int):
        del parent[path[-1]]


def path_text(path):
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + p
    return out or "<root>"


# =====================================================================================================================
# SigV4
# =====================================================================================================================

def _remove_dot_segments(path):
    # botocore.utils.remove_dot_segments: RFC 3986 5.2.4, and consecutive slashes collapse (AWS's rule for non-S3).
    if not path:
        return "/"
    out = []
    for x in path.split("/"):
        if x and x != ".":
            if x == "..":
                if out:
                    out.pop()
            else:
                out.append(x)
    first = "/" if path[0] == "/" else ""
    last = "/" if path[-1] == "/" and out else ""
    return first + "/".join(out) + last


def canonical_uri(target):
    """The path exactly as sent (still percent-encoded), dot segments removed, URI-encoded once more (as botocore)."""
    path = target.split(b"?", 1)[0]
    if not path.startswith(b"/"):
        parsed = urllib.parse.urlsplit(path.decode("latin-1"))
        path = (parsed.path or "/").encode("latin-1")
    normalized = _remove_dot_segments(path.decode("latin-1")).encode("latin-1")
    return urllib.parse.quote(normalized, safe="/~")


def canonical_query(target):
    if b"?" not in target:
        return ""
    query = target.split(b"?", 1)[1].decode("latin-1")
    pairs = []
    for pair in query.split("&"):
        if not pair:
            continue
        k, _, v = pair.partition("=")
        pairs.append((urllib.parse.quote(urllib.parse.unquote(k), safe="-_.~"),
                      urllib.parse.quote(urllib.parse.unquote(v), safe="-_.~")))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sigv4(method, target, host, body, access_key, secret_key, region, service, when):
    """The x-amz-date, x-amz-content-sha256 and Authorization headers of a request, signed for real."""
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    payload_hash = hashlib.sha256(body or b"").hexdigest()
    headers = {"host": host, "x-amz-content-sha256": payload_hash, "x-amz-date": amz_date}
    signed = ";".join(sorted(headers))
    # S3 signs the path as sent; every other service its normalized, once more encoded form.
    path = target.split(b"?", 1)[0].decode("latin-1") if service == "s3" else canonical_uri(target)
    canonical = "\n".join([method.upper(), path, canonical_query(target),
                           "".join(f"{k}:{headers[k].strip()}\n" for k in sorted(headers)), signed, payload_hash])
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + secret_key).encode("utf-8"), date), region), service), "aws4_request")
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    auth = f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"
    return [("X-Amz-Date", amz_date), ("X-Amz-Content-Sha256", payload_hash), ("Authorization", auth)]


# =====================================================================================================================
# Requests, answers, the transport
# =====================================================================================================================

class Request:
    """One request to send. Normal requests are rendered (framed, signed) by the client; raw ones are bytes as given."""

    def __init__(self, name, category, method="POST", target=b"/", body=None, expect="any", **kw):
        self.name = name
        self.category = category
        self.method = method
        self.target = target
        self.body = body                      # bytes or None (no body, no Content-Length)
        self.expect = expect                  # "reject" | "accept" | "any"
        self.status = kw.get("status")        # exact status expected (sequences), or None
        self.etype = kw.get("etype")          # exact x-amzn-ErrorType expected, or None
        self.rtype = kw.get("rtype")          # exact resourceType expected, or None
        self.message = kw.get("message")      # text the error message must contain, or None
        self.content_type = kw.get("content_type", "application/json")  # None: no header
        self.auth = kw.get("auth", "sign")    # "sign", None (absent) or a literal header value
        self.sign_with = kw.get("sign_with")  # overrides of the signing inputs: dict
        self.headers = kw.get("headers", [])  # extra (name, value) headers, appended
        self.drop = set(h.lower() for h in kw.get("drop", ()))  # rendered headers to leave out
        self.chunked = kw.get("chunked")      # None, or a list of chunk sizes
        self.raw = kw.get("raw")              # the complete bytes to send on a fresh connection
        self.framing = kw.get("framing", False)  # may be answered by the HTTP server itself, or closed
        self.half_close = kw.get("half_close", False)
        self.responses = kw.get("responses", 1)
        self.timeout = kw.get("timeout")
        self.op = kw.get("op")
        self.family = kw.get("family")        # amplify | s3 | cloudformation | sts: answered in that protocol's shape
        self.mutating = kw.get("mutating", False)
        self.blob = None                      # the bytes actually sent
        self.routed = self.op                 # the operation the server will pick (a mangled path may pick another)


class Answer:
    def __init__(self):
        self.status = None
        self.reason = ""
        self.version = ""
        self.headers = []
        self.body = b""
        self.error = None      # None, "timeout", "closed", "refused", "reset: ..."
        self.ms = 0.0
        self.more = []         # further answers on the connection (pipelining)
        self._json = False

    def header(self, name):
        name = name.lower()
        found = None
        for k, v in self.headers:
            if k.lower() == name:
                found = v
        return found

    def json(self):
        if self._json is False:
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    def describe(self):
        if self.status is None:
            return f"no answer ({self.error}) after {self.ms:.0f} ms"
        hs = ", ".join(f"{k}: {v}" for k, v in self.headers if k.lower() not in ("date", "access-control-allow-origin",
                                                                                  "access-control-expose-headers"))
        return f"{self.version} {self.status} {self.reason} [{hs}] body={self.body[:300]!r}"


class Timeout(Exception):
    pass


class Closed(Exception):
    pass


class Transport:
    """HTTP/1.1 over plain sockets: keep-alive for well-formed requests, a fresh connection for raw abuse."""

    def __init__(self, host, port, timeout):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.sock = None
        self.buf = bytearray()

    def close(self):
        if self.sock:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None
        self.buf = bytearray()

    def _connect(self):
        s = socket.create_connection((self.host, self.port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def exchange(self, blob, method, fresh=False, half_close=False, responses=1, timeout=None):
        timeout = timeout or self.timeout
        answer = Answer()
        start = time.monotonic()
        deadline = start + timeout
        for attempt in (0, 1):
            reused = self.sock is not None and not fresh
            try:
                if fresh or self.sock is None:
                    self.close()
                    self.sock = self._connect()
                sock = self.sock
                try:
                    sock.sendall(blob)
                except (BrokenPipeError, ConnectionResetError) as e:
                    if reused and attempt == 0:
                        raise Closed(str(e))
                    # The server answered early and closed; its answer may still be readable.
                if half_close:
                    try:
                        sock.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                answers = []
                for i in range(responses):
                    try:
                        answers.append(self._read(sock, method, deadline))
                    except Closed:
                        if i == 0:
                            raise
                        break
                first = answers[0]
                answer.__dict__.update(first.__dict__)
                answer.more = answers[1:]
                if fresh or answer.header("connection") == "close" or answer.version == "HTTP/1.0" or responses > 1:
                    self.close()
                break
            except Closed as e:
                self.close()
                if reused and attempt == 0 and not self.buf:
                    continue  # a kept-alive connection the server had closed: once more on a new one
                answer.error = f"closed: {e}" if str(e) else "closed"
                break
            except ConnectionRefusedError:
                self.close()
                answer.error = "refused"
                break
            except Timeout:
                self.close()
                answer.error = "timeout"
                break
            except OSError as e:
                self.close()
                if reused and attempt == 0:
                    continue
                answer.error = f"reset: {e}"
                break
        answer.ms = (time.monotonic() - start) * 1000
        return answer

    def _recv(self, sock, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise Timeout()
        sock.settimeout(left)
        try:
            data = sock.recv(1 << 17)
        except socket.timeout:
            raise Timeout()
        except (ConnectionResetError, ConnectionAbortedError) as e:
            raise Closed(f"reset ({e})")
        if not data:
            raise Closed("")
        return data

    def _read(self, sock, method, deadline):
        while True:
            while b"\r\n\r\n" not in self.buf:
                if len(self.buf) > 1 << 20:
                    raise Closed("answer head too long")
                self.buf += self._recv(sock, deadline)
            end = self.buf.index(b"\r\n\r\n")
            head = bytes(self.buf[:end])
            del self.buf[:end + 4]
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ", 2)
            a = Answer()
            a.version = parts[0]
            try:
                a.status = int(parts[1])
            except (IndexError, ValueError):
                raise Closed(f"unreadable status line {lines[0][:80]!r}")
            a.reason = parts[2] if len(parts) > 2 else ""
            for line in lines[1:]:
                k, _, v = line.partition(":")
                a.headers.append((k.strip(), v.strip()))
            if 100 <= a.status < 200:
                continue
            if method.upper() == "HEAD" or a.status in (204, 304):
                return a
            te = (a.header("transfer-encoding") or "").lower()
            if "chunked" in te:
                a.body = self._read_chunked(sock, deadline)
            elif a.header("content-length") is not None:
                n = int(a.header("content-length"))
                while len(self.buf) < n:
                    self.buf += self._recv(sock, deadline)
                a.body = bytes(self.buf[:n])
                del self.buf[:n]
            else:
                try:
                    while True:
                        self.buf += self._recv(sock, deadline)
                except Closed:
                    pass
                a.body = bytes(self.buf)
                self.buf = bytearray()
            return a

    def _read_chunked(self, sock, deadline):
        body = bytearray()
        while True:
            while b"\r\n" not in self.buf:
                self.buf += self._recv(sock, deadline)
            end = self.buf.index(b"\r\n")
            line = bytes(self.buf[:end])
            del self.buf[:end + 2]
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while not (self.buf.startswith(b"\r\n") or b"\r\n\r\n" in self.buf):
                    self.buf += self._recv(sock, deadline)
                del self.buf[:2 if self.buf.startswith(b"\r\n") else self.buf.index(b"\r\n\r\n") + 4]
                return bytes(body)
            while len(self.buf) < size + 2:
                self.buf += self._recv(sock, deadline)
            body += self.buf[:size]
            del self.buf[:size + 2]


# =====================================================================================================================
# Values that break things
# =====================================================================================================================

WRONG = {
    "string": [1, -1.5, True, False, [], ["x"], {}, {"a": 1}],
    "boolean": ["true", 1, 0, "", [], {}, "false", Raw("1e400")],
    "double": ["1", True, [], {}, "NaN"],
    "float": ["1", True, [], {}],
    "integer": ["1", True, 1.5, [], {}, 2147483648, -9223372036854775809, Raw("9" * 400)],
    "long": ["1", True, 1.5, [], {}],
    "list": ["x", 1, {}, True, {"0": "x"}],
    "structure": [[], "x", 1, True, [{}]],
    "map": [[], "x", 1],
    "timestamp": [True, [], {}],
}

ODD_STRINGS = [
    "", " ", ".", "..", "../../etc/passwd", "%2F", "a/b", "%00", "\u0000", "a\u0001b", "\t", "\n", "\r\n", "\u007f",
    "\u0085", "\u2028", "\u202e", "\ufeff", "\ufffe", "\uffff", "ü", "日本語", "😀", "\U0001d54f" * 200,
    "a" * 255, "a" * 256, "😀" * 128, "x" * 10000, "' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
    "{{7*7}}", "null", "true", "0", "-1", "NaN", "\\", "\"", "EMAIL", "COMPLETED", "us-east-1_AbCdEfGhI",
    "%s%s%s%n", "\ud800", "\udc00x",
]

# NUL-bearing forms of a member's valid value ({} is the value): at either end, in the middle, alone among others.
NUL_STRINGS = ["{0}\u0000", "\u0000{0}", "{0}\u0000{0}", "\u0000", "\u0000" * 3 + "{0}", "{0}\u0000\u0001\t\n"]

# Path label values, as they go on the wire. Values that break the request line's syntax are "framing" cases.
ODD_LABELS = [
    ("empty", b""), ("dot", b"."), ("dotdot", b".."), ("enc-dotdot", b"%2E%2E"), ("enc-slash", b"%2F"),
    ("enc-slash-mid", b"a%2Fb"), ("enc-traversal", b"..%2F..%2Fetc%2Fpasswd"), ("enc-nul", b"%00"),
    ("enc-nul-mid", b"a%00b"), ("lone-pct", b"%"), ("bad-pct", b"%zz"), ("pct-bad-utf8", b"%C3%28"),
    ("pct-ff", b"%FF"), ("pct-overlong-slash", b"%C0%AF"), ("pct-surrogate", b"%ED%A0%80"), ("enc-ctl", b"%01"),
    ("enc-del", b"%7F"), ("enc-tab", b"%09"), ("enc-lf", b"%0A"), ("enc-crlf", b"%0D%0A"), ("enc-c1-nel", b"a%C2%85"),
    ("enc-space", b"%20"), ("plus", b"a+b"), ("semicolon", b"a;b=c"), ("backslash", b"a\\b"),
    ("enc-backslash", b"%5C"), ("enc-query", b"a%3Fb"), ("raw-query", b"a?x=1"), ("enc-hash", b"a%23b"),
    ("raw-hash", b"a#b"), ("enc-unicode", urllib.parse.quote("ü日本😀").encode()), ("enc-rtl", b"%E2%80%AE"),
    ("enc-bom", b"%EF%BB%BF"), ("enc-nonchar", b"%EF%BF%BF"), ("len-255", b"a" * 255), ("len-256", b"b" * 256),
    ("len-300-multibyte", urllib.parse.quote("ü" * 300).encode()), ("len-emoji-128", urllib.parse.quote("😀" * 128).encode()),
    ("len-4000", b"c" * 4000), ("sql", urllib.parse.quote("' OR 1=1 --", safe="").encode()),
    ("template", urllib.parse.quote("${jndi:ldap://x}", safe="").encode()),
    ("html", urllib.parse.quote("<script>", safe="").encode()), ("json", b"%7B%7D"), ("null-word", b"null"),
    ("double-enc-slash", b"%252F"), ("pct-pct", b"%25"), ("prod", b"prod"), ("uuid-like", str(uuid.UUID(int=1)).encode()),
]
FRAMING_LABELS = [
    ("raw-utf8", "ü".encode()), ("raw-ctl", b"a\x01b"), ("raw-tab", b"a\tb"), ("raw-space", b"a b"),
    ("raw-del", b"a\x7fb"), ("raw-nul", b"a\x00b"), ("raw-cr", b"a\rb"), ("raw-lf", b"a\nb"), ("len-9000", b"d" * 9000),
    ("raw-latin1", b"\xe9"), ("raw-invalid-utf8", b"\xff\xfe"),
]

MAX_SCHEMA_CHARS = 512 * 1024  # the server's transformSchema limits
MAX_MODELS = 1000

GRAPHQL = [
    "type A @model { id: ID! f(a: Int = " + "[" * 3000 + "1" + "]" * 3000 + "): Int }",
    "type A @model { id: ID! f: " + "[" * 3000 + "Int" + "]" * 3000 + " }",
    "type A @model { id: ID! f: String @d(a: " + "{a: " * 3000 + "1" + "}" * 3000 + ") }",
    "query Q { " + "a { " * 3000 + "b" + " }" * 3000 + " }",
    # Nested just within the parser's depth limit, so that the model generator sees them.
    "type A @model { id: ID! f: " + "[" * 60 + "Int" + "]" * 60 + " }",
    "type A @model { id: ID! f: " + "[" * 120 + "A!" + "]" * 120 + " }",
    "type A @model { id: ID! f(a: Int = " + "[" * 100 + "1" + "]" * 100 + "): Int }",
    "type A @model { id: ID! f: String @d(a: " + "{a: " * 100 + "1" + "}" * 100 + ") }",
    "type A @model { id: ID! " + " ".join(f"f{i}: String" for i in range(20000)) + " }",
    "".join(f"type T{i} @model {{ id: ID! next: T{i + 1} @hasOne }}\n" for i in range(3000)),
    "type A @model { id: ID! self: A @hasOne a: [A] @hasMany }",
    "type A @model @model @auth(rules: [{allow: nobody}]) { id: ID! id: ID! }",
    "interface I @model { id: ID! } union U = A | B type A @model { id: ID! } type B { x: U }",
    "type A @model { id: ID! e: E } enum E { " + " ".join(f"V{i}" for i in range(5000)) + " }",
    "type \u00fc @model { id: ID! }",
    "type A @model { id: ID! \"\"\"" + "x" * 100000 + "\"\"\" f: String }",
    "\"\"\"unterminated",
    "type A @model { id: ID! " + "@d " * 20000 + "}",
    "schema { query: Q } type Q { a: Int }",
    "",
    "\u0000",
]


# =====================================================================================================================
# Fixtures: a fresh app per case group, with what the group's operation needs
# =====================================================================================================================

NEEDS = {
    "CloneBackend": {"prod"}, "DeleteBackend": {"prod"},
    "DeleteBackendAPI": {"api"}, "GenerateBackendAPIModels": {"api"}, "GetBackendAPI": {"api"},
    "UpdateBackendAPI": {"api"}, "GetBackendAPIModels": {"api", "models"},
    "DeleteBackendAuth": {"auth"}, "GetBackendAuth": {"auth"}, "UpdateBackendAuth": {"auth"},
    "DeleteBackendStorage": {"storage"}, "GetBackendStorage": {"storage"}, "UpdateBackendStorage": {"storage"},
    "DeleteToken": {"token"}, "GetToken": {"token"},
    "RemoveBackendConfig": {"config"}, "UpdateBackendConfig": {"config"},
}

AUTH_NAME, API_NAME, STORAGE_NAME = "fzauth", "fzapi", "fzstore"


class Fixture:
    def __init__(self, app, tag):
        self.app = app
        self.tag = tag
        self.prod = False
        self.job = None
        self.session = None
        self.has = set()

    @property
    def bucket(self):
        return f"fz-{self.tag}-s"


def minimal_auth(pool):
    return {"authResources": "USER_POOL_ONLY", "service": "COGNITO",
            "userPoolConfigs": {"requiredSignUpAttributes": ["EMAIL"], "signInMethod": "EMAIL", "userPoolName": pool}}


def api_config():
    return {"apiName": "fzapi", "service": "AppSync", "transformSchema": SCHEMA,
            "defaultAuthType": {"mode": "API_KEY", "settings": {"description": "k", "expirationTime": 7.0}},
            "additionalAuthTypes": [{"mode": "AWS_IAM"}], "conflictResolution": {"resolutionStrategy": "AUTOMERGE"}}


def storage_config(bucket):
    return {"serviceName": "S3", "bucketName": bucket,
            "permissions": {"authenticated": ["READ", "CREATE_AND_UPDATE", "DELETE"], "unAuthenticated": ["READ"]}}


# =====================================================================================================================
# The fuzzer
# =====================================================================================================================

class Fuzzer:
    def __init__(self, args, model, endpoint, proc=None, pid=None, server_log=None):
        self.args = args
        self.model = model
        u = urllib.parse.urlsplit(endpoint)
        self.endpoint = endpoint
        self.host_header = u.netloc
        self.transport = Transport(u.hostname, u.port or 80, args.timeout)
        self.proc = proc
        self.pid = pid
        self.server_log = server_log
        self.seed = args.seed
        self.rng = random.Random(f"ampstack-fuzz:{args.seed}")
        self.access_key = args.access_key
        self.region = args.region
        self.service = model.metadata.get("signingName", "amplifybackend")
        self.sent = 0
        self.budget = args.requests
        self.by_status = collections.Counter()
        self.by_type = collections.Counter()
        self.by_category = collections.Counter()
        self.server_level = collections.defaultdict(collections.Counter)
        self.failures = []
        self.fail_kinds = collections.Counter()
        self.passed = 0
        self.slowest = (0.0, "")
        self.state_checks = 0
        self.state_skipped = 0
        self.jobs_mode = args.jobs_mode  # immediate | manual | delay | None (unknown: find out)
        self.jobs_immediate = True if self.jobs_mode == "immediate" else (False if self.jobs_mode else None)
        self.provision_ends = collections.Counter()  # with provisioning on: how the jobs waited for ended
        self.provision_reasons = collections.Counter()  # and why those that failed did
        if getattr(args, "provisioning", False):
            # Provisioning jobs stay RUNNING while they work on the endpoint, whatever the --jobs mode: always wait.
            self.jobs_immediate = False
        self.dead = False
        self.app_counter = 0
        self.digest = hashlib.sha256()
        self.started = time.monotonic()
        self.unhealthy = False
        self.save_dir = args.save_failures
        self.current_group = ""
        self.peak_rss = None

    # ---- sending and checking -----------------------------------------------------------------------------------

    def render(self, r):
        if r.raw is not None:
            return r.raw
        body = r.body
        sent_body = body
        if r.chunked is not None and body is not None:
            sent_body = b""
            pos = 0
            for size in r.chunked:
                piece = body[pos:pos + size]
                pos += len(piece)
                if piece:
                    sent_body += b"%x\r\n" % len(piece) + piece + b"\r\n"
            if pos < len(body):
                sent_body += b"%x\r\n" % (len(body) - pos) + body[pos:] + b"\r\n"
            sent_body += b"0\r\n\r\n"
        host = (r.sign_with or {}).get("host", self.host_header)
        headers = [("Host", host), ("User-Agent", "ampstack-fuzz/1")]
        if r.content_type is not None and body is not None:
            headers.append(("Content-Type", r.content_type))
        if body is not None:
            if r.chunked is not None:
                headers.append(("Transfer-Encoding", "chunked"))
            else:
                headers.append(("Content-Length", str(len(body))))
        if r.auth == "sign" or r.sign_with:
            sw = r.sign_with or {}
            signed = sigv4(r.method, sw.get("target", r.target), host, sw.get("body", body),
                           sw.get("access_key", self.access_key), sw.get("secret_key", self.args.secret_key),
                           sw.get("region", self.region), sw.get("service", self.service),
                           sw.get("when", datetime.datetime.now(datetime.timezone.utc)))
            if r.auth != "sign":
                signed = [(k, v) for k, v in signed if k != "Authorization"]
            headers += signed
        if r.auth not in ("sign", None):
            headers.append(("Authorization", r.auth))
        headers = [(k, v) for k, v in headers if k.lower() not in r.drop] + list(r.headers)
        head = r.method.encode("latin-1") + b" " + r.target + b" HTTP/1.1\r\n"
        for k, v in headers:
            kb = k if isinstance(k, bytes) else k.encode("latin-1")
            vb = v if isinstance(v, bytes) else v.encode("utf-8")
            head += kb + b": " + vb + b"\r\n"
        return head + b"\r\n" + (sent_body or b"")

    def send(self, r):
        """Send one request, check its answer, count it. Returns the Answer."""
        r.blob = self.render(r)
        self.sent += 1
        self.by_category[r.category] += 1
        self.digest.update(f"{r.name}|{r.expect}|{r.method}\n".encode("utf-8", "surrogatepass"))
        fresh = r.raw is not None or r.framing
        a = self.transport.exchange(r.blob, r.method, fresh=fresh, half_close=r.half_close, responses=r.responses,
                                    timeout=r.timeout)
        if a.ms > self.slowest[0]:
            self.slowest = (a.ms, r.name)
        self.by_status[a.status if a.status is not None else (a.error or "?").split(":")[0]] += 1
        if a.status is not None:
            self.by_type[a.header("x-amzn-ErrorType") or ("(no error)" if a.status < 400 else "(none: HTTP server)")] += 1
        problems = self.check(r, a)
        for extra in a.more:
            problems += [f"pipelined answer: {p}" for p in self.check(r, extra, pipelined=True)]
        if problems:
            for kind, detail in problems:
                self.fail(kind, detail, r, a)
        else:
            self.passed += 1
        if a.error == "refused" or (a.error and not self.alive()):
            self.dead = True
        return a

    def check(self, r, a, pipelined=False):
        """[(kind, detail)] of what is wrong with this answer."""
        if r.family is not None and a.status is not None:
            return self.check_family(r, a)
        out = []
        if a.status is None:
            if a.error == "timeout":
                return [("hang", f"no complete answer within {(r.timeout or self.args.timeout):.0f} s")]
            if a.error == "refused":
                return [("server-down", "connection refused")]
            if r.raw is not None or r.framing or r.half_close:
                self.server_level["closed"][self.kind_of(r)] += 1
                return []
            return [("no-answer", f"the connection ended without an answer ({a.error})")]
        status = a.status
        etype = a.header("x-amzn-ErrorType")
        rid = a.header("x-amzn-RequestId")
        if etype is None and rid is None:
            # The HTTP server answered before the application saw the request: recorded, not a failure, unless 5xx.
            self.server_level[str(status)][self.kind_of(r)] += 1
            if status >= 500 and status not in self.args.allow_server_status:
                out.append(("5xx", f"HTTP-server-level {status} {a.reason}"))
            elif status < 400:
                out.append(("error-shape", "a non-error answer without x-amzn-RequestId"))
            return out
        if status >= 500:
            out.append(("5xx", f"{status} {etype or ''}".strip()))
            return out
        if rid is None or not UUID_RE.match(rid):
            out.append(("error-shape", f"x-amzn-RequestId missing or not a UUID: {rid!r}"))
        if status >= 400:
            if etype is None:
                out.append(("error-shape", f"{status} without x-amzn-ErrorType"))
            else:
                known = dict(self.model.error_status)
                known.update({e: 403 for e in COMMON_403})
                if etype not in known:
                    out.append(("error-shape", f"unknown error type {etype!r}"))
                elif known[etype] != status:
                    out.append(("error-shape", f"{etype} answered with status {status}, the model says {known[etype]}"))
                if r.op is not None and etype not in r.op.errors and etype not in COMMON_403:
                    out.append(("error-shape", f"{etype} is not an error of {r.op.name}"))
            if r.method.upper() != "HEAD":
                body = a.json()
                if not isinstance(body, dict) or not isinstance(body.get("message"), str) or not body.get("message"):
                    out.append(("error-shape", "the error body is not a JSON object with a non-empty message"))
                elif set(body) - {"message", "resourceType", "limitType"}:
                    out.append(("error-shape", f"unexpected members in the error body: {sorted(set(body))}"))
            if r.expect == "accept" and not pipelined:
                out.append(("rejected-valid", f"a valid request was refused: {status} {etype}"))
        elif 200 <= status < 300:
            if r.expect == "reject" and not pipelined:
                out.append(("accepted-invalid", f"an invalid request was accepted: {status}"))
            if r.method.upper() not in ("HEAD", "OPTIONS") and r.routed is not None and not pipelined:
                out += self.check_output(r.routed, a)
        else:
            out.append(("error-shape", f"unexpected status {status}"))
        if not pipelined:
            if r.status is not None and status != r.status:
                out.append(("contract", f"expected {r.status} {r.etype or ''}, got {status} {etype or ''}".rstrip()))
            elif r.etype is not None and etype != r.etype:
                out.append(("contract", f"expected error type {r.etype}, got {etype}"))
            elif r.rtype is not None and (a.json() or {}).get("resourceType") != r.rtype:
                out.append(("contract", f"expected resourceType {r.rtype}, got {(a.json() or {}).get('resourceType')}"))
            elif r.message is not None and r.message not in str((a.json() or {}).get("message")):
                out.append(("contract", f"expected a message with {r.message!r}"))
        return out

    def check_family(self, r, a):
        """The answer of an Amplify-family service: never 5xx, and an error in the protocol's own shape (S3's
        <Error><Code>, the query services' <ErrorResponse><Error><Type>/<Code>, Hosting's x-amzn-ErrorType)."""
        status = a.status
        if status >= 500 and status not in self.args.allow_server_status:
            return [("5xx", f"{status} {a.body[:200]!r}")]
        if (a.header("x-amzn-RequestId") is None and a.header("x-amz-request-id") is None and status >= 400) \
                or (r.family != "amplify" and b"is not valid HTTP/1.1" in a.body):
            # The HTTP server's own answer (framing, a Host it cannot read): shaped before any service is chosen.
            self.server_level[str(status)][self.kind_of(r)] += 1
            return []
        out = []
        if 200 <= status < 400:
            if r.expect == "reject":
                out.append(("accepted-invalid", f"an invalid request was accepted: {status}"))
            return out
        if r.expect == "accept":
            out.append(("rejected-valid", f"a valid request was refused: {status} {a.body[:200]!r}"))
        if r.method.upper() == "HEAD":
            return out
        if r.family == "amplify":
            body = a.json()
            if not a.header("x-amzn-ErrorType") or not isinstance(body, dict) or not body.get("message"):
                out.append(("error-shape", "a Hosting error without x-amzn-ErrorType and a JSON message"))
            return out
        try:
            root = ET.fromstring(a.body)
        except ET.ParseError:
            return out + [("error-shape", f"a {r.family} error that is not XML")]
        for element in root.iter():
            element.tag = element.tag.split("}", 1)[-1]
        if r.family == "s3":
            if root.tag != "Error" or not root.findtext("Code") or not root.findtext("Message"):
                out.append(("error-shape", "an S3 error that is not <Error><Code>..<Message>"))
        elif root.tag != "ErrorResponse" or root.findtext("Error/Type") not in ("Sender", "Receiver") \
                or not root.findtext("Error/Code") or not root.findtext("RequestId"):
            out.append(("error-shape", "a query error that is not <ErrorResponse><Error><Type><Code>"))
        return out

    @staticmethod
    def kind_of(r):
        """The case without its operation: 'path-label/appId=enc-nul', 'raw/version-1.2'."""
        parts = r.name.split("/", 1)
        return parts[1] if len(parts) > 1 and parts[0] not in ("raw", "order", "probe", "health") else r.name

    def check_output(self, op, a):
        body = a.json()
        if not isinstance(body, dict):
            return [("output-shape", "a 2xx answer whose body is not a JSON object")]
        if op.output is None:
            return []
        members = self.model.members(op.output)
        wires = {w: (req, sh) for w, _, sh, req in members}
        out = []
        unknown = set(body) - set(wires)
        if unknown:
            out.append(("output-shape", f"members not in {op.output}: {sorted(unknown)}"))
        missing = [w for w, (req, _) in wires.items() if req and w not in body]
        if missing:
            out.append(("output-shape", f"required members of {op.output} missing: {missing}"))
        return out

    def fail(self, kind, detail, r, a):
        self.fail_kinds[kind] += 1
        n = len(self.failures) + 1
        entry = {"n": n, "kind": kind, "detail": detail, "name": r.name, "group": self.current_group,
                 "method": r.method, "target": r.target, "blob": r.blob, "body": r.body, "answer": a.describe()}
        self.failures.append(entry)
        if self.save_dir:
            os.makedirs(self.save_dir, exist_ok=True)
            with open(os.path.join(self.save_dir, f"fail-{n:04d}.http"), "wb") as f:
                f.write(r.blob or b"")
        if self.args.verbose:
            print(self.format_failure(entry), file=sys.stderr, flush=True)

    def violation(self, kind, detail, names):
        self.fail_kinds[kind] += 1
        n = len(self.failures) + 1
        self.failures.append({"n": n, "kind": kind, "detail": detail, "name": "; ".join(names[:40]),
                              "group": self.current_group, "method": None})
        if self.args.verbose:
            print(self.format_failure(self.failures[-1]), file=sys.stderr, flush=True)

    def format_failure(self, f):
        lines = [f"FAIL #{f['n']} [{f['kind']}] {f['name']}  (group {f['group']}, seed {self.seed})", f"  what: {f['detail']}"]
        if f.get("method") is not None:
            blob = f["blob"] or b""
            head, _, _ = blob.partition(b"\r\n\r\n")
            hl = head.split(b"\r\n")
            lines.append(f"  request line: {hl[0][:400]!r}")
            for h in hl[1:]:
                lines.append(f"    {h[:300]!r}")
            body = f["body"]
            if body is None and f.get("blob") is not None and b"\r\n\r\n" in blob:
                body = blob.split(b"\r\n\r\n", 1)[1]
            lines.append(f"  body ({len(body or b'')} bytes) first 200: {(body or b'')[:200]!r}")
            lines.append(f"  got: {f['answer']}")
            if self.save_dir:
                lines.append(f"  raw request: {os.path.join(self.save_dir, 'fail-%04d.http' % f['n'])}")
        return "\n".join(lines)

    def server_peak_rss(self):
        """The server's peak resident memory (VmHWM) in MiB, when its pid is known (Linux)."""
        pid = self.proc.pid if self.proc is not None else self.pid
        if not pid:
            return None
        try:
            # ./ampstack execs dotnet, so the pid is the server's; with another wrapper, its children count too.
            pids = [pid] + [int(p) for p in open(f"/proc/{pid}/task/{pid}/children").read().split()]
            peak = 0
            for p in pids:
                for line in open(f"/proc/{p}/status"):
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            return peak // 1024
        except (OSError, ValueError):
            return None

    def alive(self):
        if self.proc is not None and self.proc.poll() is not None:
            return False
        if self.pid:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                pass
        try:
            socket.create_connection((self.transport.host, self.transport.port), timeout=5).close()
            return True
        except OSError:
            return False

    def exhausted(self, reserve=0):
        return self.dead or self.sent + reserve >= self.budget

    # ---- building requests ---------------------------------------------------------------------------------------

    def new_app_id(self):
        self.app_counter += 1
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "d" + "".join(self.rng.choice(alphabet) for _ in range(13))

    def request(self, op_name, labels, body, name=None, category="valid", expect="any", **kw):
        op = self.model.ops[op_name]
        target = op.path(labels)
        if isinstance(body, (dict, list, Pairs)):
            body = enc_bytes(body)
        return Request(name or f"{op_name}/{category}", category, op.method, target, body, expect, op=op,
                       mutating=not op.readonly, **kw)

    def call(self, op_name, labels, body=None, expect="accept", category="valid", name=None, **kw):
        if body is None and self.model.ops[op_name].method == "POST":
            body = {}
        r = self.request(op_name, labels, body, name=name or f"{op_name}/{category}", category=category, expect=expect, **kw)
        return self.send(r)

    def settle(self, app, env, job_id):
        """Wait for a job to end (completing it with UpdateBackendJob if the server runs jobs by hand)."""
        if not job_id or self.jobs_immediate:
            return
        if self.jobs_mode == "manual":
            self.call("UpdateBackendJob", {"appId": app, "backendEnvironmentName": env, "jobId": job_id},
                      {"status": "COMPLETED"}, expect="any", category="settle")
            return
        deadline = time.monotonic() + self.args.job_wait
        delay = 0.05
        while not self.dead:
            a = self.call("GetBackendJob", {"appId": app, "backendEnvironmentName": env, "jobId": job_id},
                          expect="any", category="settle")
            status = (a.json() or {}).get("status") if a.status == 200 else None
            if status in ("COMPLETED", "FAILED") or a.status != 200:
                if self.jobs_immediate is None:
                    self.jobs_immediate = True
                if getattr(self.args, "provisioning", False) and status:
                    self.provision_ends[status] += 1
                    if status == "FAILED" and (a.json() or {}).get("error"):
                        self.provision_reasons[(a.json() or {})["error"][:160]] += 1
                    elif status == "FAILED":
                        self.violation("provisioning", f"job {job_id} ({app}/{env}) FAILED without a reason", ["settle"])
                return
            if self.jobs_immediate is None:
                self.jobs_immediate = False
            if time.monotonic() > deadline:
                if getattr(self.args, "provisioning", False):
                    # A provisioning job ends by itself (COMPLETED, or FAILED with the endpoint's reason): one still
                    # RUNNING now is stuck. It is then ended by hand, so that the run goes on.
                    self.violation("provisioning", f"job {job_id} ({app}/{env}) still RUNNING after "
                                   f"{self.args.job_wait:.0f} s with provisioning on", ["settle"])
                self.call("UpdateBackendJob", {"appId": app, "backendEnvironmentName": env, "jobId": job_id},
                          {"status": "COMPLETED"}, expect="any", category="settle")
                return
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    @staticmethod
    def job_of(a):
        """The job an asynchronous call started (its answer says RUNNING), or None."""
        body = a.json() if a.status == 200 else None
        if not isinstance(body, dict) or body.get("status") != "RUNNING" or "createTime" in body:
            return None  # GetBackendJob / UpdateBackendJob answers carry a jobId too, with createTime
        return body.get("jobId")

    def fixture(self, needs):
        fx = Fixture(self.new_app_id(), "%06x" % self.rng.getrandbits(24))
        a = self.call("CreateBackend", {}, {"appId": fx.app, "appName": f"fuzz {fx.tag}", "backendEnvironmentName": "dev"},
                      category="fixture")
        if a.status != 200:
            return None
        fx.job = self.job_of(a)
        self.settle(fx.app, "dev", fx.job)
        L = {"appId": fx.app}
        Ld = {"appId": fx.app, "backendEnvironmentName": "dev"}
        steps = []
        if "prod" in needs:
            steps.append(("prod", "CreateBackend", {}, {"appId": fx.app, "appName": "x", "backendEnvironmentName": "prod"}, "prod"))
        if "auth" in needs:
            steps.append(("auth", "CreateBackendAuth", L, {"backendEnvironmentName": "dev", "resourceName": AUTH_NAME,
                                                           "resourceConfig": minimal_auth("pool" + fx.tag)}, "dev"))
        if "api" in needs:
            steps.append(("api", "CreateBackendAPI", L, {"backendEnvironmentName": "dev", "resourceName": API_NAME,
                                                         "resourceConfig": api_config()}, "dev"))
        if "models" in needs:
            steps.append(("models", "GenerateBackendAPIModels", Ld, {"resourceName": API_NAME}, "dev"))
        if "storage" in needs:
            steps.append(("storage", "CreateBackendStorage", L, {"backendEnvironmentName": "dev", "resourceName": STORAGE_NAME,
                                                                 "resourceConfig": storage_config(fx.bucket)}, "dev"))
        if "config" in needs:
            steps.append(("config", "CreateBackendConfig", L, {"backendManagerAppId": "mgr" + fx.tag}, "dev"))
        for what, op, labels, body, env in steps:
            a = self.call(op, labels, body, category="fixture")
            if a.status != 200:
                return None
            fx.has.add(what)
            self.settle(fx.app, env, self.job_of(a))
        fx.prod = "prod" in fx.has
        if "token" in needs:
            a = self.call("CreateToken", L, {}, category="fixture")
            if a.status != 200:
                return None
            fx.session = (a.json() or {}).get("sessionId")
            fx.has.add("token")
        return fx

    # ---- the valid base request of each operation, on a fixture ----------------------------------------------

    def base(self, op, fx):
        """(labels, body) of a valid request for the operation against the fixture."""
        labels = {}
        for wire in op.uri_members:
            labels[wire] = {"appId": fx.app, "backendEnvironmentName": "prod" if op.name == "DeleteBackend" else "dev",
                            "jobId": fx.job or "job", "sessionId": fx.session or "session"}[wire]
        body = {}
        for wire, _, shape, _ in op.body_members:
            body[wire] = self.model.gen_valid(shape, wire)
        o = {}
        n = op.name
        if n == "CloneBackend":
            o = {("targetEnvironmentName",): "clone" + fx.tag}
        elif n == "CreateBackend":
            o = {("appId",): fx.app, ("appName",): "fuzz app", ("backendEnvironmentName",): "stage",
                 ("resourceName",): "fzres"}
        elif n in ("CreateBackendAPI", "CreateBackendAuth", "CreateBackendStorage"):
            o = {("backendEnvironmentName",): "dev", ("resourceName",): {"CreateBackendAPI": "fzapi2",
                 "CreateBackendAuth": AUTH_NAME, "CreateBackendStorage": STORAGE_NAME}[n]}
            if n == "CreateBackendAPI":
                o[("resourceConfig", "transformSchema")] = SCHEMA
            if n == "CreateBackendStorage":
                o[("resourceConfig", "bucketName")] = f"fz-{fx.tag}-c"
        elif n in ("DeleteBackendAPI", "GetBackendAPI", "UpdateBackendAPI", "GenerateBackendAPIModels", "GetBackendAPIModels"):
            o = {("resourceName",): API_NAME}
            if "resourceConfig" in body:
                o[("resourceConfig", "transformSchema")] = SCHEMA
        elif n in ("DeleteBackendAuth", "GetBackendAuth", "UpdateBackendAuth"):
            o = {("resourceName",): AUTH_NAME}
        elif n in ("DeleteBackendStorage", "GetBackendStorage", "UpdateBackendStorage"):
            o = {("resourceName",): STORAGE_NAME}
        elif n == "GetBackend":
            o = {("backendEnvironmentName",): "dev"}
        elif n == "ImportBackendAuth":
            o = {("userPoolId",): "us-east-1_AbCdEfGhI", ("webClientId",): "webclient" + fx.tag,
                 ("nativeClientId",): "nativeclient" + fx.tag,
                 ("identityPoolId",): "us-east-1:00000000-0000-4000-8000-000000000000"}
        elif n == "ImportBackendStorage":
            o = {("bucketName",): f"fz-{fx.tag}-i"}
        elif n == "ListBackendJobs":
            o = {("nextToken",): DELETE, ("jobId",): fx.job or "job", ("operation",): "CreateBackend",
                 ("status",): "COMPLETED", ("maxResults",): 10}
        elif n == "ListS3Buckets":
            o = {("nextToken",): DELETE}
        elif n == "RemoveAllBackends":
            o = {("cleanAmplifyApp",): False}
        elif n == "UpdateBackendJob":
            o = {("status",): "COMPLETED", ("operation",): "FuzzRenamed"}
        elif n == "CreateBackendConfig":
            o = {("backendManagerAppId",): "mgr" + fx.tag}
        for path, value in o.items():
            if value is DELETE:
                del_at(body, path)
            else:
                set_at(body, path, value)
        return labels, body

    def body_entries(self, op, body):
        """Every body member reachable from the input shape: (path, shape, required, present)."""
        out = []

        def walk(shape_name, value, path):
            s = self.model.shapes[shape_name]
            if s["type"] == "structure":
                for wire, _, sh, req in self.model.members(shape_name):
                    present = isinstance(value, dict) and wire in value
                    out.append((path + (wire,), sh, req, present))
                    if present:
                        walk(sh, value[wire], path + (wire,))
            elif s["type"] == "list" and isinstance(value, list) and value:
                out.append((path + (0,), s["member"]["shape"], False, True))
                walk(s["member"]["shape"], value[0], path + (0,))

        if op.input:
            walk(op.input, body, ())
        return out

    # ---- the case pool of an operation ---------------------------------------------------------------------------

    def pool(self, op, rng):
        """{category: [(name, expect, build(fx) -> Request)]} of the hostile requests for one operation."""
        model = self.model
        P = collections.defaultdict(list)
        probe_fx = Fixture("dprobe", "000000")
        probe_fx.job, probe_fx.session = "job", "session"
        _, probe_body = self.base(op, probe_fx)
        entries = self.body_entries(op, probe_body)
        structs = [()] + [p for p, sh, _, present in entries if present and model.shapes[sh]["type"] == "structure"]

        def add(cat, name, expect, fn, **kw):
            P[cat].append((f"{op.name}/{cat}/{name}", expect, fn, kw))

        def with_body(mutate, expect, ascii_only=True):
            def build(fx):
                labels, body = self.base(op, fx)
                body = mutate(copy.deepcopy(body), fx)
                return labels, body if isinstance(body, bytes) else enc_bytes(body, ascii_only)
            return build

        req_none = "reject" if op.requires_body else "any"

        # -- per member: wrong types, nulls, enums, missing, duplicates, nesting, odd strings, numbers ----------
        for path, sh, required, present in entries:
            s = model.shapes[sh]
            t = s["type"]
            pt = path_text(path)
            in_list = isinstance(path[-1], int)
            for i, wrong in enumerate(WRONG.get(t, [])):
                add("wrong-type", f"{pt}={enc(wrong)[:20]}", "reject",
                    with_body(lambda b, fx, p=path, w=wrong: (set_at(b, p, w), b)[1], "reject"))
            add("null", f"{pt}=null", "reject" if (required or in_list) else "any",
                with_body(lambda b, fx, p=path: (set_at(b, p, None), b)[1], "any"))
            if "enum" in s:
                valid = s["enum"][0]
                for bad in (valid.lower(), valid.title(), valid + " ", " " + valid, "FUZZ_UNKNOWN", "",
                            valid.replace("E", "\u0415", 1) if "E" in valid else valid + "\u200b", valid + "\u0000",
                            valid * 50):
                    if bad in s["enum"]:
                        continue
                    add("bad-enum", f"{pt}={bad[:20]!r}", "reject",
                        with_body(lambda b, fx, p=path, v=bad: (set_at(b, p, v), b)[1], "reject"))
            if present and required and not in_list:
                add("missing-required", pt, "reject", with_body(lambda b, fx, p=path: (del_at(b, p), b)[1], "reject"))
            if not in_list:
                def dup(b, fx, p=path, sh=sh, wrong=None):
                    parent = get_at(b, p[:-1])
                    if not isinstance(parent, dict):
                        return b
                    value = parent.get(p[-1], model.gen_valid(sh, p[-1]))
                    pairs = Pairs((k, v) for k, v in parent.items())
                    pairs.append((p[-1], value if wrong is None else wrong))
                    if p[:-1]:
                        set_at(b, p[:-1], pairs)
                        return b
                    return pairs
                add("duplicate-member", f"{pt}(same)", "any", with_body(dup, "any"))
                wrong = WRONG.get(t, [1])[0]
                add("duplicate-member", f"{pt}(then-wrong-type)", "reject",
                    with_body(lambda b, fx, d=dup, w=wrong: d(b, fx, wrong=w), "reject"))
            for depth_name, raw in (("10000[", "[" * 10000 + "]" * 10000), ("10000{", '{"a":' * 10000 + "1" + "}" * 10000),
                                    ("33[", "[" * 33 + "]" * 33), ("100000[", "[" * 100000 + "]" * 100000)):
                add("deep-nesting", f"{pt}={depth_name}", "reject",
                    with_body(lambda b, fx, p=path, r=raw: (set_at(b, p, Raw(r)), b)[1], "reject"))
            if t == "string" and (present or len(path) == 1):
                # A NUL anywhere in any string (enum or free text, in lists and nested configs) is beyond one of the
                # stores (PostgreSQL's text): a 400 naming the member on every store, never stored, never a 500.
                for i, nul in enumerate(NUL_STRINGS):
                    def with_nul(b, fx, p=path, sh=sh, nul=nul):
                        try:
                            value = get_at(b, p)
                        except (KeyError, IndexError, TypeError):
                            value = None
                        value = value if isinstance(value, str) else model.gen_valid(sh, p[-1])
                        set_at(b, p, nul.format(value))
                        return b
                    add("nul-string", f"{pt}=nul{i}", "reject", with_body(with_nul, "reject", ascii_only=(i % 2 == 0)),
                        status=400, etype="BadRequestException", message=f"'{pt}': must not contain the NUL character")
            if t == "string" and "enum" not in s:
                for i, odd in enumerate(ODD_STRINGS):
                    add("odd-string", f"{pt}=odd{i}", "any",
                        with_body(lambda b, fx, p=path, v=odd: (set_at(b, p, v), b)[1], "any", ascii_only=(i % 2 == 0)))
                for kind in ("ascii", "multibyte", "escaped"):
                    def huge(b, fx, p=path, kind=kind, extra=0):
                        set_at(b, p, "")
                        room = MIB - len(enc_bytes(b)) + extra  # the whole body: exactly 1 MiB (+ extra)
                        if kind == "ascii":
                            v = Raw('"' + "a" * room + '"')
                        elif kind == "multibyte":
                            v = Raw('"' + "é" * (room // 2) + '"')
                        else:
                            v = Raw('"' + "\\u0041" * (room // 6) + '"')
                        set_at(b, p, v)
                        return b
                    add("huge-string", f"{pt}={kind}-1MiB", "any", with_body(huge, "any"))
                add("huge-string", f"{pt}=1MiB+1", "reject",
                    with_body(lambda b, fx, h=huge: h(b, fx, kind="ascii", extra=1), "reject"))
                if path[-1] == "transformSchema":
                    for i, schema in enumerate(GRAPHQL):
                        add("graphql", f"{pt}=schema{i}", "any",
                            with_body(lambda b, fx, p=path, v=schema: (set_at(b, p, v), b)[1], "any"))
            if t in ("integer", "long"):
                lo, hi = s.get("min"), s.get("max")
                limit = 2 ** 31 if t == "integer" else 2 ** 63
                for v in (0, -1, 1, 25, 26, 2 ** 31, -(2 ** 31) - 1, 2 ** 63, Raw("-0"), Raw("1E1"), Raw("0.5e1"),
                          Raw("1.0"), Raw("10e-1")):
                    # Numbers written as fractions or exponents are left to the server ("any").
                    bad = not isinstance(v, Raw) and ((lo is not None and v < lo) or (hi is not None and v > hi)
                                                      or not -limit <= v < limit)
                    add("odd-number", f"{pt}={v}", "reject" if bad else "any",
                        with_body(lambda b, fx, p=path, v=v: (set_at(b, p, v), b)[1], "any"))
            if t in ("double", "float"):
                for v in (Raw("-0.0"), 1e308, -1e308, Raw("4.9e-324"), Raw("1e-400"), 0, -1, 2 ** 53 + 1,
                          Raw("1" * 5000), Raw("0." + "1" * 5000), Raw("1e309")):
                    add("odd-number", f"{pt}={str(v)[:16]}", "any",
                        with_body(lambda b, fx, p=path, v=v: (set_at(b, p, v), b)[1], "any"))
            if t == "list":
                element = s["member"]["shape"]
                es = model.shapes[element]
                if present:
                    add("huge-array", f"{pt}=empty", "any", with_body(lambda b, fx, p=path: (set_at(b, p, []), b)[1], "any"))

                    def huge_list(b, fx, p=path, el=element):
                        one = model.gen_valid(el, "x")
                        item = enc(one)
                        set_at(b, p, [])
                        room = MIB - len(enc_bytes(b)) - 16
                        count = max(1, room // (len(item) + 1))
                        set_at(b, p, Raw("[" + ",".join([item] * count) + "]"))
                        return b
                    add("huge-array", f"{pt}=~1MiB", "any", with_body(huge_list, "any"))
                    add("huge-array", f"{pt}=[null]", "reject", with_body(lambda b, fx, p=path: (set_at(b, p, [None]), b)[1], "reject"))
        # -- unknown and mis-cased members in every structure ---------------------------------------------------
        for sp in structs:
            def unknown(b, fx, sp=sp, key="fuzzUnknownMember", value=1):
                target = get_at(b, sp) if sp else b
                if isinstance(target, dict):
                    target[key] = value
                return b
            add("unknown-member", f"{path_text(sp)}+fuzzUnknownMember", "any", with_body(unknown, "any"))
            add("unknown-member", f"{path_text(sp)}+__proto__", "any",
                with_body(lambda b, fx, u=unknown: u(b, fx, key="__proto__", value={"admin": True}), "any"))
            add("unknown-member", f"{path_text(sp)}+empty-key", "any", with_body(lambda b, fx, u=unknown: u(b, fx, key=""), "any"))
            shape = op.input if not sp else [sh for p, sh, _, _ in entries if p == sp][0]
            for wire, _, _, req in model.members(shape):
                for variant in (wire[:1].upper() + wire[1:], wire.lower(), wire.upper()):
                    if variant == wire:
                        continue
                    def recase(b, fx, sp=sp, wire=wire, variant=variant):
                        target = get_at(b, sp) if sp else b
                        if isinstance(target, dict) and wire in target:
                            target[variant] = target.pop(wire)
                        return b
                    add("mis-cased-member", f"{path_text(sp + (wire,))}->{variant}", "reject" if req else "any",
                        with_body(recase, "any"))
        add("unknown-member", "50000-unknown-keys", "any",
            with_body(lambda b, fx: (b.update({f"k{i}": i for i in range(50000)}), b)[1], "any"))
        if op.body_members:
            w0 = op.body_members[0][0]

            def many_dups(b, fx):
                if w0 not in b:
                    return b
                pair = len(enc_bytes({w0: b[w0]}))  # '{"k":v}' ~ ',"k":v' + 1
                count = max(1, min(50000, (MIB - len(enc_bytes(b))) // pair))  # stays within 1 MiB
                return Pairs(list(b.items()) + [(w0, b[w0])] * count)
            add("duplicate-member", f"{w0}-repeated-to-1MiB", "any", with_body(many_dups, "any"))

        # -- the body as a whole ------------------------------------------------------------------------------
        def whole(name, expect, make):
            def build(fx):
                labels, body = self.base(op, fx)
                return labels, make(enc_bytes(body))
            add("broken-json" if expect != "size" else "body-size", name, expect, build)

        whole("truncated-half", "reject", lambda b: b[:max(1, len(b) // 2)])
        whole("truncated-last", "reject", lambda b: b[:-1] if len(b) > 1 else b"{")
        whole("trailing-comma", "reject", lambda b: b[:-1] + b",}" if len(b) > 2 else b"{,}")
        whole("single-quotes", "reject", lambda b: b.replace(b'"', b"'") if len(b) > 2 else b"{'a':1}")
        whole("unquoted-keys", "reject", lambda b: re.sub(rb'"(\w+)":', rb"\1:", b) if len(b) > 2 else b"{a:1}")
        whole("line-comment", "reject", lambda b: b"// c\n" + b)
        whole("block-comment", "reject", lambda b: b"/* c */" + b)
        whole("trailing-garbage", "reject", lambda b: b + b"x")
        whole("two-objects", "reject", lambda b: b + b)
        whole("trailing-nul", "reject", lambda b: b + b"\x00")
        whole("leading-bom", "any", lambda b: b"\xef\xbb\xbf" + b)
        whole("utf16le", "reject", lambda b: b"\xff\xfe" + b.decode("latin-1").encode("utf-16-le"))
        whole("utf32", "reject", lambda b: b.decode("latin-1").encode("utf-32"))
        whole("nan", "reject", lambda b: b[:1] + b'"x":NaN,' + b[1:] if len(b) > 2 else b'{"x":NaN}')
        whole("infinity", "reject", lambda b: b'{"x":-Infinity}')
        whole("leading-zero", "reject", lambda b: b'{"x":01}')
        whole("hex-number", "reject", lambda b: b'{"x":0x10}')
        whole("bad-escape", "reject", lambda b: b'{"x":"\\x41"}')
        whole("raw-control-in-string", "reject", lambda b: b'{"x":"a\x01b"}')
        whole("raw-tab-in-string", "reject", lambda b: b'{"x":"a\tb"}')
        whole("invalid-utf8-in-key", "reject", lambda b: b'{"\xc3":1}')
        whole("overlong-utf8", "reject", lambda b: b'{"\xc0\xaf":1}')
        whole("lone-surrogate-key", "any", lambda b: b'{"\\ud800":1}')
        whole("only-open-brace", "reject", lambda b: b"{")
        whole("only-close-brace", "reject", lambda b: b"}")
        whole("10000-open-brackets", "reject", lambda b: b"[" * 10000)
        whole("10000-nested-arrays", "reject", lambda b: b"[" * 10000 + b"]" * 10000)
        whole("10000-nested-objects", "reject", lambda b: b'{"a":' * 10000 + b"1" + b"}" * 10000)
        whole("200000-nested-arrays", "reject", lambda b: b"[" * 200000 + b"]" * 200000)
        whole("root-null", "reject", lambda b: b"null")
        whole("root-array", "reject", lambda b: b"[]")
        whole("root-string", "reject", lambda b: b'"x"')
        whole("root-number", "reject", lambda b: b"1")
        whole("root-true", "reject", lambda b: b"true")
        whole("empty-object", req_none, lambda b: b"{}")
        whole("whitespace-only", req_none, lambda b: b" \t\r\n")
        whole("random-bytes", "reject", lambda b, r=random.Random(rng.random()): b"{" + bytes(r.randrange(256) for _ in range(200)))
        whole("pad-to-1MiB", "any", lambda b: b + b" " * (MIB - len(b)))
        whole("pad-to-1MiB+1", "reject", lambda b: b + b" " * (MIB + 1 - len(b)))
        whole("2MiB", "reject", lambda b: b + b" " * (2 * MIB - len(b)))
        # sizes go under their own category
        P["body-size"] = [c for c in P["broken-json"] if "MiB" in c[0]]
        P["broken-json"] = [c for c in P["broken-json"] if "MiB" not in c[0]]

        # -- framing variants of a valid request --------------------------------------------------------------
        def variant(cat, name, expect, **kw):
            def build(fx):
                labels, body = self.base(op, fx)
                return labels, enc_bytes(body)
            add(cat, name, expect, build, **kw)

        variant("body-size", "chunked-1.1MiB", "reject", chunked=[16384] * 70, pad=int(1.1 * MIB))
        variant("body-size", "chunked-small", "any", chunked=[3, 5, 1])
        variant("body-size", "declared-17MiB", "reject", raw_cl=17 * MIB)
        variant("content-type", "absent", "any", content_type=None)
        for ct in ("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                   "application/json; charset=utf-16", "application/x-amz-json-1.1", "APPLICATION/JSON", "*/*", "",
                   "application/json; charset=" + "x" * 5000, "application/json, text/plain"):
            variant("content-type", ct[:40] or "empty", "any", content_type=ct)
        variant("content-type", "two-content-types", "any", headers=[("Content-Type", "text/plain")])
        variant("absent-body", "no-body-no-length", req_none, no_body=True)
        variant("absent-body", "content-length-0", req_none, empty_body=True)

        # -- path labels --------------------------------------------------------------------------------------
        for wire in op.uri_members:
            for lname, value in ODD_LABELS:
                add("path-label", f"{wire}={lname}", "route", self._label_build(op, wire, value))
            for lname, value in FRAMING_LABELS:
                add("path-label", f"{wire}={lname}", "any", self._label_build(op, wire, value), framing=True)
        for sname, mangle in (("extra-segment", lambda p: p + b"/extra"), ("missing-last-segment", lambda p: p.rsplit(b"/", 1)[0]),
                              ("double-slash", lambda p: p.replace(b"/", b"//", 2)), ("trailing-slash", lambda p: p + b"/"),
                              ("prod-prefix", lambda p: b"/prod" + p), ("upper-literals", lambda p: p.upper()),
                              ("dot-segment", lambda p: b"/." + p), ("dotdot-tail", lambda p: p + b"/.."),
                              ("query-junk", lambda p: p + b"?&&=&a=%ZZ&b&X-Amz-Credential=junk"),
                              ("query-credential", lambda p: p + b"?X-Amz-Credential=" + urllib.parse.quote(
                                  f"{self.access_key}/20260101/{self.region}/amplifybackend/aws4_request", safe="").encode()),
                              ("deep-path", lambda p: p + b"/a" * 1500), ("fragment", lambda p: p + b"#frag"),
                              ("absolute-form", lambda p: b"http://" + self.host_header.encode() + p)):
            add("path-shape", sname, "route", self._path_build(op, mangle))
        for sname, mangle in (("no-leading-slash", lambda p: p[1:]), ("empty-target", lambda p: b""),
                              ("asterisk", lambda p: b"*"), ("absolute-other-host", lambda p: b"http://example.com" + p),
                              ("over-8KiB", lambda p: p + b"/" + b"e" * 9000)):
            add("path-shape", sname, "any", self._path_build(op, mangle), framing=True)

        # -- methods --------------------------------------------------------------------------------------------
        for m in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "FOO", op.method.lower(),
                  op.method[0] + op.method[1:].lower(), "P0ST"):
            if m == op.method:
                continue
            add("method", m, "route", self._method_build(op, m))
        for m in ("TRACE", "CONNECT", "A" * 300, "POST\x00", "GET POST"):
            add("method", m[:12], "any", self._method_build(op, m), framing=True)

        # -- authorization ----------------------------------------------------------------------------------------
        scope = f"{self.access_key}/20260101/{self.region}/amplifybackend/aws4_request"
        bad_auth = [
            ("absent", None, 403, "MissingAuthenticationTokenException"),
            ("bearer", "Bearer abc", 403, "IncompleteSignatureException"),
            ("algorithm-only", "AWS4-HMAC-SHA256", 403, "IncompleteSignatureException"),
            ("sha1", f"AWS4-HMAC-SHA1 Credential={scope}, SignedHeaders=host, Signature=ab", 403, "IncompleteSignatureException"),
            ("lowercase-algorithm", f"aws4-hmac-sha256 Credential={scope}, SignedHeaders=host, Signature=ab", 403, None),
            ("no-credential", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab", 403, "IncompleteSignatureException"),
            ("no-signed-headers", f"AWS4-HMAC-SHA256 Credential={scope}, Signature=ab", 403, "IncompleteSignatureException"),
            ("no-signature", f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host", 403, "IncompleteSignatureException"),
            ("empty-signature", f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=", 403, "IncompleteSignatureException"),
            ("short-date", f"AWS4-HMAC-SHA256 Credential={self.access_key}/2026/{self.region}/amplifybackend/aws4_request, SignedHeaders=host, Signature=a", 403, "IncompleteSignatureException"),
            ("empty-region", f"AWS4-HMAC-SHA256 Credential={self.access_key}/20260101//amplifybackend/aws4_request, SignedHeaders=host, Signature=a", 403, "IncompleteSignatureException"),
            ("four-part-scope", f"AWS4-HMAC-SHA256 Credential={self.access_key}/20260101/{self.region}/amplifybackend, SignedHeaders=host, Signature=a", 403, "IncompleteSignatureException"),
            ("six-part-scope", f"AWS4-HMAC-SHA256 Credential={scope}/x, SignedHeaders=host, Signature=a", 403, "IncompleteSignatureException"),
            ("empty-key", "AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=a", 403, "IncompleteSignatureException"),
            ("garbage", "garbage \x01\x02", 403, None),
            ("commas-only", "AWS4-HMAC-SHA256 ,,,,", 403, "IncompleteSignatureException"),
        ]
        for aname, value, status, etype in bad_auth:
            variant("auth", aname, "reject", auth=value, status=status, etype=etype,
                    framing=bool(value) and any(ord(c) < 32 for c in value))
        variant("auth", "wrong-signature", "any", auth="sign", sign_with={"secret_key": "not-the-secret"})
        variant("auth", "zero-signature", "any",
                auth=f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host;x-amz-date, Signature={'0' * 64}")
        variant("auth", "signed-other-body", "any", auth="sign", sign_with={"body": b'{"other":1}'})
        variant("auth", "stale-date", "any", auth="sign",
                sign_with={"when": datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc)})
        variant("auth", "no-x-amz-date", "any", drop=["x-amz-date"])
        variant("auth", "other-service", "any", auth="sign", sign_with={"service": "ec2"})
        variant("auth", "other-region", "any", auth="sign", sign_with={"region": "eu-west-1"})
        variant("auth", "odd-region", "any", auth="sign", sign_with={"region": "..%2F" + "r" * 300})
        variant("auth", "unicode-region", "any", auth="sign", sign_with={"region": "ü-1"})
        variant("auth", "two-authorizations", "any", headers=[("Authorization", "Bearer second")])
        variant("auth", "huge-20KiB", "any", auth=f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature={'a' * 20000}")
        variant("auth", "huge-40KiB", "any", auth=f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature={'a' * 40000}", framing=True)
        variant("auth", "non-ascii", "any", auth=f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=ü", framing=True)
        if op.readonly:  # a key that is not 12 digits is the shared default account: read it, never write it
            variant("auth", "default-account-key", "any", auth="sign", sign_with={"access_key": "test"})
            variant("auth", "13-digit-key", "any", auth="sign", sign_with={"access_key": "1234567890123"})
        variant("auth", "query-credential-only", "any", auth=None, query_credential=True)
        variant("auth", "query-credential-malformed", "reject", auth=None, query_credential="bad", status=403)

        # -- other headers ------------------------------------------------------------------------------------
        variant("headers", "expect-100-continue", "any", headers=[("Expect", "100-continue")])
        variant("headers", "connection-close", "any", headers=[("Connection", "close")], framing=True)
        variant("headers", "injected-request-id", "any", headers=[("x-amzn-RequestId", "injected")])
        variant("headers", "content-encoding-gzip", "any", headers=[("Content-Encoding", "gzip")])
        variant("headers", "accept-xml", "any", headers=[("Accept", "application/xml")])
        variant("headers", "origin", "any", headers=[("Origin", "https://evil.example")])
        variant("headers", "x-amz-target", "any", headers=[("X-Amz-Target", "AmplifyBackend.DeleteBackend")])
        variant("headers", "cookie-20KiB", "any", headers=[("Cookie", "a=" + "b" * 20000)])
        variant("headers", "101-headers", "any", headers=[(f"X-F{i}", "v") for i in range(101)], framing=True)
        variant("headers", "host-evil", "any", drop=["host"], headers=[("Host", "evil.example")])
        variant("headers", "x-http-method-override", "any", headers=[("X-HTTP-Method-Override", "DELETE")])
        return P

    # -- builders for path and method variants (they keep a valid body) ----------------------------------------

    def _label_build(self, op, wire, value):
        def build(fx):
            labels, body = self.base(op, fx)
            labels[wire] = value
            return labels, enc_bytes(body)
        return build

    def _path_build(self, op, mangle):
        def build(fx):
            labels, body = self.base(op, fx)
            return ("path", mangle(op.path(labels))), enc_bytes(body)
        return build

    def _method_build(self, op, method):
        def build(fx):
            labels, body = self.base(op, fx)
            return ("method", method, op.path(labels)), enc_bytes(body)
        return build

    def materialize(self, op, spec, fx):
        """Turn a pool entry into a Request on a fixture."""
        name, expect, build, kw = spec
        kw = dict(kw)
        where, body = build(fx)
        method = op.method
        if isinstance(where, tuple) and where[0] == "path":
            target = where[1]
        elif isinstance(where, tuple) and where[0] == "method":
            method, target = where[1], where[2]
        else:
            target = op.path(where)
        if op.method == "GET" and body == b"{}" and not any(k in kw for k in ("chunked", "pad", "raw_cl")):
            body = None  # a GET carries no body unless the case is about the body
        if kw.pop("no_body", False):
            body = None
        if kw.pop("empty_body", False):
            body = b""
        pad = kw.pop("pad", None)
        if pad and body is not None:
            body = body + b" " * (pad - len(body))
        qc = kw.pop("query_credential", None)
        if qc:
            cred = "bad" if qc == "bad" else f"{self.access_key}/20260101/{self.region}/amplifybackend/aws4_request"
            target += (b"&" if b"?" in target else b"?") + b"X-Amz-Credential=" + urllib.parse.quote(cred, safe="").encode()
        raw_cl = kw.pop("raw_cl", None)
        if expect == "route":
            expect = self.route_expect(op, method, target)
        r = Request(name, name.split("/")[1], method, target, body, expect, op=op, mutating=not op.readonly, **kw)
        if raw_cl:
            # A Content-Length far beyond the limit, with only a little of the body: the server must answer at once.
            r.blob = None
            head = self.render(Request(name, r.category, method, target, body, expect, op=op))
            head = re.sub(rb"Content-Length: \d+", b"Content-Length: %d" % raw_cl, head.split(b"\r\n\r\n")[0])
            r.raw = head + b"\r\n\r\n" + (body or b"")
            r.framing = True
        routed = self.model.route(method, target) if method.upper() != "OPTIONS" else None
        r.mutating = routed is not None and not routed[0].readonly
        r.routed = routed[0] if routed else None
        return r

    def route_expect(self, op, method, target):
        if method.upper() == "OPTIONS":
            return "any"
        routed = self.model.route(method, target)
        if routed is None:
            return "reject"
        rop, labels = routed
        problems = [label_problem(v) for v in labels.values()]
        if "?" in problems:
            return "any"
        if any(problems):
            return "reject"
        return "any"

    # ---- state snapshots -----------------------------------------------------------------------------------------

    def probes(self, op, fx):
        app = fx.app
        out = [("GetBackend", {"appId": app}, {}), ("ListBackendJobs", {"appId": app, "backendEnvironmentName": "dev"}, {})]
        if fx.prod:
            out += [("GetBackend", {"appId": app}, {"backendEnvironmentName": "prod"}),
                    ("ListBackendJobs", {"appId": app, "backendEnvironmentName": "prod"}, {})]
        n = op.name
        Ld = {"appId": app, "backendEnvironmentName": "dev"}
        if "Auth" in n:
            out.append(("GetBackendAuth", Ld, {"resourceName": AUTH_NAME}))
            out.append(("GetBackend", {"appId": app}, {"backendEnvironmentName": "dev"}))
        if "API" in n:
            out += [("GetBackendAPI", Ld, {"resourceName": API_NAME}), ("GetBackendAPI", Ld, {"resourceName": "fzapi2"}),
                    ("GetBackendAPIModels", Ld, {"resourceName": API_NAME})]
        if "Storage" in n or n == "ListS3Buckets":
            out.append(("GetBackendStorage", Ld, {"resourceName": STORAGE_NAME}))
            out.append(("ListS3Buckets", {}, {}))
        if "Token" in n and fx.session:
            out.append(("GetToken", {"appId": app, "sessionId": fx.session}, None))
        if "Job" in n and fx.job:
            out.append(("GetBackendJob", {"appId": app, "backendEnvironmentName": "dev", "jobId": fx.job}, None))
        if n == "CreateBackend":
            out.append(("GetBackend", {"appId": app}, {"backendEnvironmentName": "stage"}))
        if n == "CloneBackend":
            out.append(("GetBackend", {"appId": app}, {"backendEnvironmentName": "clone" + fx.tag}))
        return out

    def snapshot(self, op, fx):
        snap = collections.OrderedDict()
        for pop, labels, body in self.probes(op, fx):
            key = f"{pop} {json.dumps(labels, sort_keys=True)} {json.dumps(body, sort_keys=True)}"
            pages = []
            token = None
            for _ in range(20):
                b = dict(body or {}) if body is not None else None
                if token and b is not None:
                    b["nextToken"] = token
                a = self.call(pop, labels, b, expect="any", category="probe", name=f"probe/{pop}")
                if a.status is None:
                    return None
                data = a.json() if a.status < 500 else None
                token = data.pop("nextToken", None) if isinstance(data, dict) else None
                pages.append((a.status, data))
                if not token or pop not in ("ListBackendJobs", "ListS3Buckets"):
                    break
            snap[key] = pages
        return snap

    def wait_idle(self, fx):
        """Before a baseline: let every job of the fixture end."""
        if self.jobs_immediate:
            return
        for env in ("dev", "prod") if fx.prod else ("dev",):
            a = self.call("ListBackendJobs", {"appId": fx.app, "backendEnvironmentName": env}, {}, expect="any",
                          category="settle")
            for job in (a.json() or {}).get("jobs", []) if a.status == 200 else []:
                if job.get("status") not in ("COMPLETED", "FAILED"):
                    self.settle(fx.app, env, job.get("jobId"))

    @staticmethod
    def diff(before, after):
        out = []
        for key in before:
            if before[key] != after.get(key):
                b = json.dumps(before[key])[:300]
                c = json.dumps(after.get(key))[:300]
                out.append(f"{key}: before {b} / after {c}")
        return out

    # ---- groups ------------------------------------------------------------------------------------------------------

    def op_group(self, op, gi, rng):
        fx = self.fixture(NEEDS.get(op.name, set()))
        if fx is None or self.dead:
            return
        pool = self.pool(op, rng)
        cats = sorted(c for c in pool if pool[c])
        rng.shuffle(cats)
        chosen = []
        used = set()
        size = self.args.group_size
        while len(chosen) < size and len(used) < sum(len(v) for v in pool.values()):
            progressed = False
            for c in cats:
                left = [i for i in range(len(pool[c])) if (c, i) not in used]
                if not left:
                    continue
                i = rng.choice(left)
                used.add((c, i))
                chosen.append(pool[c][i])
                progressed = True
                if len(chosen) >= size:
                    break
            if not progressed:
                break
        # Requests expected to be refused run in larger batches between snapshots; the rest in small ones, since a
        # batch in which some request was accepted cannot be compared.
        rejects = [c for c in chosen if c[1] == "reject"]
        others = [c for c in chosen if c[1] != "reject"]
        batches = [rejects[i:i + 24] for i in range(0, len(rejects), 24)]
        step = 24 if op.readonly else 8
        batches += [others[i:i + step] for i in range(0, len(others), step)]
        self.wait_idle(fx)
        base = self.snapshot(op, fx)
        for batch in batches:
            if self.exhausted(reserve=len(self.probes(op, fx)) + 8) or base is None:
                break
            accepted = False
            names = []
            for spec in batch:
                if self.exhausted(reserve=len(self.probes(op, fx)) + 8):
                    break
                r = self.materialize(op, spec, fx)
                a = self.send(r)
                names.append(r.name)
                if a.status is not None and 200 <= a.status < 300 and r.mutating:
                    accepted = True
                    body = a.json() if isinstance(a.json(), dict) else {}
                    if self.job_of(a):
                        self.settle(body.get("appId") or fx.app, body.get("backendEnvironmentName") or "dev", self.job_of(a))
                if self.dead:
                    return
            after = self.snapshot(op, fx)
            if after is None:
                return
            if accepted:
                self.state_skipped += 1
            else:
                self.state_checks += 1
                d = self.diff(base, after)
                if d:
                    culprit = self.bisect(op, batch) if self.args.bisect else None
                    self.violation("state-change", "state changed across a batch of refused requests: " + " | ".join(d)
                                   + (f" || culprit on a fresh fixture: {culprit}" if culprit else ""), names)
            base = after

    def bisect(self, op, batch):
        """Replay a batch one request at a time on a fresh fixture to name the request that changed state."""
        if self.exhausted(reserve=50):
            return None
        fx = self.fixture(NEEDS.get(op.name, set()))
        if fx is None:
            return None
        before = self.snapshot(op, fx)
        for spec in batch:
            if self.exhausted(reserve=20) or before is None:
                return None
            r = self.materialize(op, spec, fx)
            a = self.send(r)
            after = self.snapshot(op, fx)
            if after is None:
                return None
            if a.status is not None and a.status >= 400 and self.diff(before, after):
                return f"{r.name} ({a.status}): " + " | ".join(self.diff(before, after))[:600]
            before = after
        return "not reproduced one by one"

    # ---- raw-socket abuse of the HTTP layer --------------------------------------------------------------------

    def raw_group(self, gi, rng):
        fx = self.fixture(set())
        if fx is None:
            return
        path = f"/backend/{fx.app}/details".encode()
        body = json.dumps({"backendEnvironmentName": "dev"}).encode()
        signed = dict((k, v) for k, v in sigv4("POST", path, self.host_header, body, self.access_key, self.args.secret_key,
                                               self.region, self.service, datetime.datetime.now(datetime.timezone.utc)))
        auth = b"".join(f"{k}: {v}\r\n".encode() for k, v in signed.items())

        def req(method=b"POST", target=path, version=b"HTTP/1.1", headers=b"", body=body, cl=True, host=True):
            h = method + b" " + target + b" " + version + b"\r\n"
            if host:
                h += b"Host: " + self.host_header.encode() + b"\r\n"
            h += auth + b"Content-Type: application/json\r\n" + headers
            if cl:
                h += b"Content-Length: %d\r\n" % len(body)
            return h + b"\r\n" + body

        def chunked(chunks, extra=b""):
            return req(headers=b"Transfer-Encoding: chunked\r\n" + extra, body=chunks, cl=False)

        C = [
            ("cl-not-a-number", req(cl=False, headers=b"Content-Length: abc\r\n")),
            ("cl-negative", req(cl=False, headers=b"Content-Length: -1\r\n")),
            ("cl-fraction", req(cl=False, headers=b"Content-Length: 1.5\r\n")),
            ("cl-empty", req(cl=False, headers=b"Content-Length: \r\n")),
            ("cl-plus", req(cl=False, headers=b"Content-Length: +%d\r\n" % len(body))),
            ("cl-hex", req(cl=False, headers=b"Content-Length: 0x10\r\n")),
            ("cl-huge", req(cl=False, headers=b"Content-Length: 99999999999999999999\r\n")),
            ("cl-two-different", req(cl=False, headers=b"Content-Length: %d\r\nContent-Length: 1\r\n" % len(body))),
            ("cl-two-same", req(cl=False, headers=b"Content-Length: %d\r\nContent-Length: %d\r\n" % (len(body), len(body)))),
            ("cl-list", req(cl=False, headers=b"Content-Length: %d, %d\r\n" % (len(body), len(body)))),
            ("cl-and-chunked", req(headers=b"Transfer-Encoding: chunked\r\n",
                                   body=b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")),
            ("cl-larger-than-body-eof", req(cl=False, headers=b"Content-Length: %d\r\n" % (len(body) + 100)), True),
            ("cl-smaller-than-body", req(cl=False, headers=b"Content-Length: 2\r\n", body=b"{}GARBAGE / HTTP/1.1\r\n\r\n"), False, 2),
            ("version-1.2", req(version=b"HTTP/1.2")),
            ("version-2.0", req(version=b"HTTP/2.0")),
            ("version-3", req(version=b"HTTP/3")),
            ("version-1.1x", req(version=b"HTTP/1.1x")),
            ("version-lowercase", req(version=b"http/1.1")),
            ("version-01.1", req(version=b"HTTP/01.1")),
            ("version-missing", b"POST " + path + b"\r\nHost: x\r\n\r\n"),
            ("version-extra-token", req(version=b"HTTP/1.1 extra")),
            ("version-1.0-no-host", req(version=b"HTTP/1.0", host=False)),
            ("version-0.9", b"GET " + path + b"\r\n"),
            ("request-line-9KiB", req(target=path + b"?" + b"q" * 9000)),
            ("request-line-100KiB", req(target=b"/" + b"x" * 100000)),
            ("header-line-40KiB", req(headers=b"X-Long: " + b"a" * 40000 + b"\r\n")),
            ("headers-200", req(headers=b"".join(b"X-H%d: v\r\n" % i for i in range(200)))),
            ("header-no-colon", req(headers=b"NoColonHere\r\n")),
            ("header-name-space", req(headers=b"Bad Header: x\r\n")),
            ("header-empty-name", req(headers=b": x\r\n")),
            ("header-nul-value", req(headers=b"X-A: a\x00b\r\n")),
            ("header-obs-fold", req(headers=b"X-A: a\r\n  folded\r\n")),
            ("header-non-ascii-value", req(headers="X-A: üñï\r\n".encode())),
            ("header-latin1-value", req(headers=b"X-A: \xe9\xff\r\n")),
            ("bare-lf-lines", req().replace(b"\r\n", b"\n")),
            ("bare-cr-in-header", req(headers=b"X-A: a\rb\r\n")),
            ("no-host-1.1", req(host=False)),
            ("two-hosts", req(headers=b"Host: other\r\n")),
            ("chunk-size-not-hex", chunked(b"zz\r\n{}\r\n0\r\n\r\n")),
            ("chunk-extension", chunked(b"%x;ext=1\r\n" % len(body) + body + b"\r\n0\r\n\r\n")),
            ("chunk-size-overflow", chunked(b"FFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n")),
            ("chunk-size-2^31", chunked(b"80000000\r\n{}\r\n0\r\n\r\n")),
            ("chunk-size-negative", chunked(b"-1\r\n{}\r\n0\r\n\r\n")),
            ("chunk-no-last-eof", chunked(b"%x\r\n" % len(body) + body + b"\r\n"), True),
            ("chunk-data-longer", chunked(b"1\r\n" + body + b"\r\n0\r\n\r\n")),
            ("chunk-trailers", chunked(b"%x\r\n" % len(body) + body + b"\r\n0\r\nX-Trailer: 1\r\n\r\n")),
            ("chunked-uppercase", req(headers=b"Transfer-Encoding: CHUNKED\r\n", cl=False,
                                      body=b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")),
            ("te-gzip-chunked", req(headers=b"Transfer-Encoding: gzip, chunked\r\n", cl=False,
                                    body=b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")),
            ("te-identity", req(headers=b"Transfer-Encoding: identity\r\n")),
            ("te-unknown", req(headers=b"Transfer-Encoding: fuzz\r\n", cl=False)),
            ("garbage-bytes", bytes(random.Random(rng.random()).randrange(256) for _ in range(512))),
            ("tls-client-hello", bytes.fromhex("16030100a5010000a10303") + b"\x00" * 200),
            ("only-crlf-eof", b"\r\n\r\n", True),
            ("only-method", b"POST\r\n\r\n"),
            ("nul-bytes", b"\x00" * 64),
            ("empty-connection-eof", b"", True),
            ("partial-headers-eof", req()[:30], True),
            ("pipelined-two", req() + req(), False, 2),
            ("pipelined-bad-second", req() + b"BAD\r\n\r\n", False, 2),
            ("options-asterisk", req(method=b"OPTIONS", target=b"*")),
            ("connect-authority", req(method=b"CONNECT", target=b"127.0.0.1:1")),
            ("absolute-form", req(target=b"http://" + self.host_header.encode() + path)),
            ("expect-100-continue", req(headers=b"Expect: 100-continue\r\n")),
            ("expect-unknown", req(headers=b"Expect: 200-ok\r\n")),
            ("upgrade-h2c", req(headers=b"Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n")),
            ("upgrade-websocket", req(method=b"GET", headers=b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")),
            ("h2-preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        ]
        if gi == 0:
            # Slow: a declared body that never comes (the server's body timeout must end it well before ours).
            C.append(("cl-larger-than-body-wait", req(cl=False, headers=b"Content-Length: %d\r\n" % (len(body) + 100)), False))
        order = list(range(len(C)))
        rng.shuffle(order)
        self.wait_idle(fx)
        op = self.model.ops["GetBackend"]
        base = self.snapshot(op, fx)
        names = []
        for i in order:
            if self.exhausted(reserve=12):
                break
            name, blob, *rest = C[i]
            half = rest[0] if rest else False
            nresp = rest[1] if len(rest) > 1 else 1
            r = Request(f"raw/{name}", "raw", blob.split(b" ", 1)[0].decode("latin-1")[:20] or "-", path, None, "any",
                        raw=blob, half_close=half, responses=nresp, framing=True)
            self.send(r)
            names.append(r.name)
            if self.dead:
                return
        after = self.snapshot(op, fx)
        if base is not None and after is not None:
            self.state_checks += 1
            d = self.diff(base, after)
            if d:
                self.violation("state-change", "state changed across raw-socket requests: " + " | ".join(d), names)

    # ---- valid calls in the wrong order ------------------------------------------------------------------------------

    def step(self, op, labels, body=None, status=200, etype=None, rtype=None, name=None, expect=None, settle=True,
             message=None):
        if expect is None:
            expect = "accept" if status == 200 else "reject"
        if status == "4xx":
            status, expect = None, "reject"
        elif status == "any":
            status, expect = None, "any"
        if body is None and self.model.ops[op].method == "POST":
            body = {}
        r = self.request(op, labels, body, name=f"order/{self.current_group.split('/')[-1]}/{name or op}",
                         category="order", expect=expect, status=status, etype=etype, rtype=rtype, message=message)
        a = self.send(r)
        job = self.job_of(a)
        if job and settle:
            env = (a.json() or {}).get("backendEnvironmentName") or labels.get("backendEnvironmentName") or "dev"
            self.settle(labels.get("appId") or (body or {}).get("appId"), env, job)
        return a

    # ---- the Amplify family on the same port (Hosting, S3, CloudFormation, STS) ----------------------------------

    def family_request(self, family, method, target, body=None, name="", expect="any", **kw):
        sign = dict(kw.pop("sign_with", {}))
        sign.setdefault("service", family)
        if isinstance(target, str):
            target = target.encode("utf-8")
        if isinstance(body, str):
            body = body.encode("utf-8")
        return Request(f"family-{family}/{name}", f"family-{family}", method, target, body, expect, family=family,
                       sign_with=sign, **kw)

    def family_cases(self, bucket, stack, app, rng):
        """Valid and hostile requests for each family service, on one environment's bucket and root stack."""
        q = urllib.parse.quote
        zip_key = "/" + bucket + "/%23current-cloud-backend.zip"
        s3 = lambda method, target, name, expect="any", **kw: self.family_request(  # noqa: E731
            "s3", method, target, name=name, expect=expect, content_type=kw.pop("content_type", None), **kw)
        cases = [
            s3("GET", zip_key, "get-zip", "accept"),
            s3("HEAD", zip_key, "head-zip", "accept"),
            s3("GET", f"/{bucket}?list-type=2", "list-v2", "accept"),
            s3("GET", f"/{bucket}", "list-v1", "accept"),
            s3("GET", f"/{bucket}?location", "location", "accept"),
            s3("HEAD", f"/{bucket}", "head-bucket", "accept"),
            s3("GET", "/", "list-buckets", "accept"),
            s3("GET", "/amplify-meta.json", "virtual-host", "accept", sign_with={"host": f"{bucket}.localhost"}),
            s3("GET", "/amplify-meta.json", "virtual-host-s3", "accept", sign_with={"host": f"{bucket}.s3.localhost"}),
            s3("GET", "/x", "virtual-host-empty", sign_with={"host": ".localhost"}),
            s3("GET", "/x", "virtual-host-huge", sign_with={"host": "b" * 3000 + ".localhost"}),
            s3("GET", "/x", "virtual-host-unicode", sign_with={"host": "bü.localhost"}),
            s3("GET", f"/{bucket}/" + "k" * 1100, "key-1100"),
            s3("GET", f"/{bucket}/" + "k" * 7000, "key-7000"),
            s3("GET", f"/{bucket}/" + q("ü/é/../..", safe="/"), "key-unicode-dots"),
            s3("GET", f"/{bucket}/%2e%2e/%2e%2e/etc/passwd", "key-dotdot"),
            s3("GET", f"/{bucket}/a%2Fb%5C%7F", "key-escapes"),
            s3("GET", f"/{bucket}/%ZZ", "key-bad-escape"),
            s3("GET", f"/{bucket}//double", "key-double-slash"),
            s3("GET", "/" + "b" * 300 + "/k", "bucket-300"),
            s3("GET", "/-bad-/k", "bucket-odd"),
            s3("PUT", f"/{bucket}/x.txt", "put", "reject", body=b"hello"),
            s3("PUT", f"/{bucket}/x.txt", "put-xmlish", "reject", body=b"<?xml version='1.0'?><a><b>", content_type="application/xml"),
            s3("POST", f"/{bucket}?delete", "delete-objects-broken-xml", "reject",
               body=b"<Delete><Object><Key>amplify-meta.json</Key>", content_type="application/xml"),
            s3("POST", f"/{bucket}?delete", "delete-objects-billion-laughs", "reject",
               body=b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><Delete>&b;</Delete>',
               content_type="application/xml"),
            s3("DELETE", f"/{bucket}/amplify-meta.json", "delete", "reject"),
            s3("DELETE", f"/{bucket}", "delete-bucket", "reject"),
            s3("PUT", "/new-bucket-x", "create-bucket", "reject"),
            s3("PATCH", f"/{bucket}/x", "patch", "reject"),
            s3("GET", f"/{bucket}?list-type=2&max-keys=-1", "max-keys-negative"),
            s3("GET", f"/{bucket}?list-type=2&max-keys=abc", "max-keys-text"),
            s3("GET", f"/{bucket}?list-type=2&max-keys=99999999999999999999", "max-keys-huge"),
            s3("GET", f"/{bucket}?list-type=2&continuation-token=%%%", "token-bad-escape"),
            s3("GET", f"/{bucket}?list-type=2&continuation-token=not-base64!", "token-garbage"),
            s3("GET", f"/{bucket}?list-type=2&continuation-token=" + q("//79/w=="), "token-bad-utf8"),
            s3("GET", f"/{bucket}?list-type=2&delimiter=&prefix=" + q("\u0000\uffff"), "prefix-odd"),
            s3("GET", f"/{bucket}?list-type=2&delimiter=" + "/" * 2000, "delimiter-huge"),
            s3("GET", f"/{bucket}?list-type=3", "list-type-3"),
            s3("GET", f"/{bucket}?list-type=2&encoding-type=base64", "encoding-type-bad"),
            s3("GET", f"/{bucket}?marker=" + "z" * 5000, "marker-huge"),
        ]
        for header in ("bytes=0-9", "bytes=-5", "bytes=10-", "bytes=99999999999999999999-", "bytes=-99999999999999999999",
                       "bytes=-0", "bytes=0-0,", "bytes=a-b", "bytes= 1-2", "bytes=5-1", "bytes=--1", "bytes=1-2-3",
                       "bytes=9223372036854775807-", "bytes=0-9223372036854775808", "items=0-1", "bytes=", "=", "bytes=\t0-1",
                       "bytes=0-1," * 500, "bytes=1000000-"):
            cases.append(s3("GET", zip_key, f"range/{header[:20]}", headers=[("Range", header)]))
            cases.append(s3("HEAD", zip_key, f"range-head/{header[:20]}", headers=[("Range", header)]))
        for name, value in (("If-Match", "garbage"), ("If-Match", '"x", W/"y", *'), ("If-None-Match", "*"),
                            ("If-None-Match", "\"" * 3000), ("If-Modified-Since", "yesterday"),
                            ("If-Modified-Since", "Mon, 99 Foo 2026 99:99:99 GMT"), ("If-Unmodified-Since", "0"),
                            ("If-Modified-Since", "99999999999999999999")):
            cases.append(s3("GET", zip_key, f"condition/{name}", headers=[(name, value)]))

        form = "application/x-www-form-urlencoded; charset=utf-8"
        for family in ("cloudformation", "sts"):
            version = {"cloudformation": "2010-05-15", "sts": "2011-06-15"}[family]
            query = lambda body, name, expect="any", content_type=form, **kw: self.family_request(  # noqa: E731
                family, "POST", "/", body, name=name, expect=expect, content_type=content_type, **kw)
            cases += [
                query(f"Action=NoSuchAction&Version={version}", "bad-action", "reject"),
                query(f"Version={version}", "no-action", "reject"),
                query("Action=" + "A" * 20000 + f"&Version={version}", "huge-action", "reject"),
                query(f"Action=%ZZ&Version={version}", "action-bad-escape", "reject"),
                query("Action=DescribeStacks&Version=1999-01-01", "old-version"),
                query("Action=DescribeStacks", "no-version"),
                query(b"Action=DescribeStacks&Version=" + version.encode() + b"&StackName=\xff\xfe", "invalid-utf8"),
                query(f"Action=DescribeStacks&Action=GetCallerIdentity&Version={version}", "two-actions"),
                query('{"Action": "DescribeStacks"}', "json-body", content_type="application/json"),
                query("<Action>DescribeStacks</Action>", "xml-body", content_type="text/xml"),
                query(f"Action=GetCallerIdentity&Version={version}", "no-content-type", content_type=None),
                query("&&&===&&&", "form-garbage", "reject"),
                query("Action=DescribeStacks&Version=" + version + "&" + "&".join(f"k{i}=v" for i in range(5000)),
                      "many-params"),
            ]
        cfn = lambda params, name, expect="any": self.family_request(  # noqa: E731
            "cloudformation", "POST", "/", urllib.parse.urlencode({"Version": "2010-05-15", **params}), name=name,
            expect=expect, content_type=form)
        cases += [
            cfn({"Action": "DescribeStacks", "StackName": stack}, "describe", "accept"),
            cfn({"Action": "DescribeStacks"}, "describe-all", "accept"),
            cfn({"Action": "ListStacks"}, "list", "accept"),
            cfn({"Action": "ListStackResources", "StackName": stack}, "resources", "accept"),
            cfn({"Action": "GetTemplate", "StackName": stack}, "template", "accept"),
            cfn({"Action": "DescribeStackResource", "StackName": stack, "LogicalResourceId": "DeploymentBucket"},
                "resource", "accept"),
            cfn({"Action": "DescribeStacks", "StackName": "x" * 20000}, "stack-huge", "reject"),
            cfn({"Action": "DescribeStacks", "StackName": "amplify-" + "-" * 3000}, "stack-hyphens", "reject"),
            cfn({"Action": "DescribeStacks", "StackName": "amplify-" + "a-" * 200}, "stack-many-splits", "reject"),
            cfn({"Action": "DescribeStacks", "StackName": "\u0000\u202e"}, "stack-control", "reject"),
            cfn({"Action": "ListStacks", "StackStatusFilter.member.1": "NOPE"}, "status-filter-bad"),
            cfn({"Action": "ListStacks", "StackStatusFilter.member.999999999": "CREATE_COMPLETE"}, "status-filter-index"),
            cfn({"Action": "ListStacks", "StackStatusFilter.member.0": "CREATE_COMPLETE"}, "status-filter-zero"),
            cfn({"Action": "DescribeStackResources"}, "resources-no-stack"),
            cfn({"Action": "DescribeStackResource", "StackName": stack}, "resource-no-logical-id", "reject"),
            cfn({"Action": "GetTemplate", "TemplateStage": "Nope", "StackName": stack}, "template-stage-bad"),
        ]
        for arn in ("arn:aws:cloudformation:us-east-1:000000000000:stack/", "arn:::::", "arn:",
                    f"arn:aws:cloudformation:us-east-1:000000000000:stack/{stack}/x/y/z",
                    f"arn:aws:cloudformation:{self.region}:{self.access_key[:12]}:stack/{stack}",
                    f"arn:aws:s3:::{bucket}", "arn:" + ":" * 5000, f"arn:aws:cloudformation:us-east-1:1:stack/{stack}/"):
            cases.append(cfn({"Action": "DescribeStacks", "StackName": arn}, f"arn/{arn[:30]}"))

        sts = lambda target, name, expect="any", **kw: self.family_request("sts", "GET", target, name=name,  # noqa: E731
                                                                          expect=expect, content_type=None, **kw)
        cases += [sts("/?Action=GetCallerIdentity&Version=2011-06-15", "get-identity", "accept"),
                  sts("/?Action=AssumeRole&Version=2011-06-15", "assume-role", "reject"),
                  sts("/?Action=GetCallerIdentity&Version=2011-06-15&Junk=" + "j" * 5000, "junk-param")]

        amp = lambda method, target, body=None, name="", expect="any": self.family_request(  # noqa: E731
            "amplify", method, target, body, name=name, expect=expect,
            content_type="application/json" if body is not None else None)
        key = self.access_key
        account = key if len(key) == 12 and key.isdigit() else "000000000000"  # as the server derives it
        app_arn = f"arn:aws:amplify:{self.region}:{account}:apps/{app}"
        cases += [
            amp("GET", "/apps", name="list-apps", expect="accept"),
            amp("GET", f"/apps/{app}", name="get-app", expect="accept"),
            amp("GET", f"/apps/{app}/backendenvironments", name="list-envs", expect="accept"),
            amp("GET", f"/apps/{app}/branches", name="list-branches", expect="accept"),
            amp("GET", "/tags/" + q(app_arn, safe=""), name="tags", expect="accept"),
            amp("GET", "/apps?maxResults=-1", name="max-results-negative", expect="reject"),
            amp("GET", "/apps?maxResults=abc", name="max-results-text", expect="reject"),
            amp("GET", "/apps?maxResults=0", name="max-results-zero"),
            amp("GET", "/apps?nextToken=%%%", name="token-bad-escape"),
            amp("GET", "/apps?nextToken=" + q("//79/w=="), name="token-bad-utf8"),
            amp("GET", "/apps?nextToken=" + "A" * 5000, name="token-huge"),
            amp("POST", "/apps", "{", name="app-broken-json", expect="reject"),
            amp("POST", "/apps", json.dumps({"name": "x" * 300}), name="app-name-huge", expect="reject"),
            amp("POST", "/apps", json.dumps({"name": 5}), name="app-name-number", expect="reject"),
            amp("POST", f"/apps/{app}/branches", json.dumps({"branchName": "a/../b", "stage": "NOPE"}), name="branch-bad-stage",
                expect="reject"),
            amp("POST", f"/apps/{app}/branches/main/jobs", json.dumps({"jobType": "RELEASE"}), name="unsupported",
                expect="reject"),
            amp("DELETE", "/tags/" + q(app_arn, safe="") + "?tagKeys=" + "&tagKeys=".join(["k"] * 60), name="untag-too-many",
                expect="reject"),
            amp("DELETE", "/tags/" + q(app_arn, safe="") + "?tagKeys=aws:x", name="untag-reserved"),
        ]
        for arn in ("garbage", "arn:aws:amplify:us-east-1:000000000000:apps/", f"{app_arn}/branches/",
                    f"{app_arn}/branches/a/b/c", f"{app_arn}/backendenvironments/dev", "arn:aws:amplify:" + ":" * 3000,
                    app_arn.replace(self.region, "xx-nowhere-1"), app_arn + "\u0000"):
            cases.append(amp("GET", "/tags/" + q(arn, safe=""), name=f"arn/{arn[:30]}"))
            cases.append(amp("POST", "/tags/" + q(arn, safe=""), json.dumps({"tags": {"a": "b"}}), name=f"tag-arn/{arn[:30]}"))
        rng.shuffle(cases)
        return cases

    def family_group(self, gi, rng):
        """One environment (made through the Admin API), then the family's requests on it; the environment's artifacts
        must read the same afterwards (every write to them is refused)."""
        app = self.new_app_id()
        a = self.call("CreateBackend", {}, {"appId": app, "appName": "fuzz", "backendEnvironmentName": "dev"},
                      category="family-setup", name="family-setup/CreateBackend")
        if a.status != 200:
            return
        self.settle(app, "dev", self.job_of(a))
        a = self.call("GetBackend", {"appId": app}, {"backendEnvironmentName": "dev"}, category="family-setup",
                      name="family-setup/GetBackend")
        try:
            provider = json.loads(a.json()["amplifyMetaConfig"])["providers"]["awscloudformation"]
        except (TypeError, KeyError, ValueError):
            return
        bucket, stack = provider["DeploymentBucketName"], provider["StackName"]
        before = self.send(self.family_request("s3", "GET", f"/{bucket}?list-type=2", name="listing-before",
                                               expect="accept", content_type=None))
        cases = self.family_cases(bucket, stack, app, rng)
        for r in cases[: max(self.args.group_size, 1) * 2]:
            if self.exhausted(reserve=30) or self.dead:
                return
            self.send(r)
        after = self.send(self.family_request("s3", "GET", f"/{bucket}?list-type=2", name="listing-after",
                                              expect="accept", content_type=None))
        if before.status == 200 and after.status == 200:
            self.state_checks += 1
            strip = re.compile(rb"<RequestId>[^<]*</RequestId>")
            if strip.sub(b"", before.body) != strip.sub(b"", after.body):
                self.violation("state-changed", "a refused request changed the deployment bucket", [f"family#{gi}"])

    def scenarios(self):
        return [self.seq_get_before_create, self.seq_delete_twice, self.seq_clone_onto_existing, self.seq_removed_app,
                self.seq_removed_env, self.seq_create_twice, self.seq_jobs, self.seq_tokens, self.seq_config,
                self.seq_resource_after_delete, self.seq_models_odd_schemas, self.seq_pending_job]

    def seq_get_before_create(self):
        app = self.new_app_id()
        L, Ld = {"appId": app}, {"appId": app, "backendEnvironmentName": "dev"}
        nf = "NotFoundException"
        self.step("GetBackend", L, {}, 404, nf, "App")
        self.step("GetBackend", L, {"backendEnvironmentName": "dev"}, 404, nf)
        self.step("ListBackendJobs", Ld, {}, 404, nf)
        self.step("GetBackendJob", dict(Ld, jobId=str(uuid.UUID(int=self.rng.getrandbits(128)))), None, 404, nf)
        self.step("GetBackendAuth", Ld, {"resourceName": "a"}, 404, nf)
        self.step("GetBackendAPI", Ld, {"resourceName": "a"}, 404, nf)
        self.step("GetBackendStorage", Ld, {"resourceName": "a"}, 404, nf)
        self.step("GetBackendAPIModels", Ld, {"resourceName": "a"}, 404, nf)
        self.step("GetToken", dict(L, sessionId="s" + app), None, 404, nf)
        self.step("DeleteToken", dict(L, sessionId="s" + app), None, 404, nf)
        self.step("UpdateBackendAuth", Ld, {"resourceName": "a", "resourceConfig": {
            "authResources": "USER_POOL_ONLY", "service": "COGNITO", "userPoolConfigs": {}}}, 404, nf)
        self.step("DeleteBackendAuth", Ld, {"resourceName": "a"}, 404, nf)
        self.step("DeleteBackend", Ld, None, 404, nf)
        self.step("CloneBackend", Ld, {"targetEnvironmentName": "x"}, 404, nf)
        self.step("GenerateBackendAPIModels", Ld, {"resourceName": "a"}, 404, nf)
        self.step("UpdateBackendJob", dict(Ld, jobId="j"), {"status": "COMPLETED"}, 404, nf)
        self.step("RemoveBackendConfig", L, None, 404, nf)
        self.step("UpdateBackendConfig", L, {"loginAuthConfig": {"aws_cognito_region": "us-east-1"}}, "4xx")
        self.step("RemoveAllBackends", L, {"cleanAmplifyApp": True}, "4xx")
        self.step("CreateBackendAuth", L, {"backendEnvironmentName": "dev", "resourceName": "a",
                                           "resourceConfig": minimal_auth("p")}, 404, nf)
        self.step("GetBackend", L, {}, 404, nf, "App", name="GetBackend-still-absent")

    def seq_delete_twice(self):
        fx = self.fixture({"prod", "auth", "api", "storage", "token", "config"})
        if fx is None:
            return
        L, Ld = {"appId": fx.app}, {"appId": fx.app, "backendEnvironmentName": "dev"}
        nf = "NotFoundException"
        for op, body, rt in (("DeleteBackendAuth", {"resourceName": AUTH_NAME}, "BackendAuth"),
                             ("DeleteBackendAPI", {"resourceName": API_NAME}, "BackendAPI"),
                             ("DeleteBackendStorage", {"resourceName": STORAGE_NAME, "serviceName": "S3"}, "BackendStorage")):
            self.step(op, Ld, body, 200, name=op + "-1")
            self.step(op, Ld, body, 404, nf, rt, name=op + "-2")
        S = dict(L, sessionId=fx.session)
        a = self.step("DeleteToken", S, None, 200, name="DeleteToken-1")
        if a.status == 200 and (a.json() or {}).get("isSuccess") is not True:
            self.fail("contract", "DeleteToken did not answer isSuccess: true", Request("order/delete-twice/DeleteToken-1",
                      "order"), a)
        self.step("DeleteToken", S, None, 404, nf, "Token", name="DeleteToken-2")
        self.step("GetToken", S, None, 404, nf, "Token", name="GetToken-after-delete")
        self.step("RemoveBackendConfig", L, None, 200, name="RemoveBackendConfig-1")
        self.step("RemoveBackendConfig", L, None, 404, nf, "BackendConfig", name="RemoveBackendConfig-2")
        Lp = {"appId": fx.app, "backendEnvironmentName": "prod"}
        self.step("DeleteBackend", Lp, None, 200, name="DeleteBackend-1")
        self.step("DeleteBackend", Lp, None, 404, nf, "BackendEnvironment", name="DeleteBackend-2")
        a = self.step("GetBackend", L, {}, 200, name="GetBackend-after")
        if a.status == 200 and (a.json() or {}).get("backendEnvironmentList") != ["dev"]:
            self.fail("contract", f"backendEnvironmentList after deleting prod: {(a.json() or {}).get('backendEnvironmentList')}",
                      Request("order/delete-twice/GetBackend-after", "order"), a)

    def seq_clone_onto_existing(self):
        fx = self.fixture({"prod", "auth"})
        if fx is None:
            return
        L, Ld = {"appId": fx.app}, {"appId": fx.app, "backendEnvironmentName": "dev"}
        self.step("CloneBackend", Ld, {"targetEnvironmentName": "prod"}, 400, "BadRequestException", name="onto-existing")
        self.step("CloneBackend", Ld, {"targetEnvironmentName": "dev"}, 400, "BadRequestException", name="onto-itself")
        self.step("CloneBackend", Ld, {"targetEnvironmentName": "c1"}, 200, name="clone-new")
        self.step("CloneBackend", Ld, {"targetEnvironmentName": "c1"}, 400, "BadRequestException", name="clone-again")
        self.step("CloneBackend", {"appId": fx.app, "backendEnvironmentName": "nope"}, {"targetEnvironmentName": "c2"},
                  404, "NotFoundException", "BackendEnvironment", name="from-missing")
        self.step("GetBackendAuth", {"appId": fx.app, "backendEnvironmentName": "c1"}, {"resourceName": AUTH_NAME}, 200,
                  name="clone-has-auth")
        a = self.step("GetBackend", L, {}, 200)
        if a.status == 200 and (a.json() or {}).get("backendEnvironmentList") != ["dev", "prod", "c1"]:
            self.fail("contract", f"environments after the clones: {(a.json() or {}).get('backendEnvironmentList')}",
                      Request("order/clone/GetBackend", "order"), a)

    def seq_removed_app(self):
        fx = self.fixture({"auth", "token", "config"})
        if fx is None:
            return
        L, Ld = {"appId": fx.app}, {"appId": fx.app, "backendEnvironmentName": "dev"}
        nf = "NotFoundException"
        self.step("RemoveAllBackends", L, {"cleanAmplifyApp": True}, 200)
        self.step("GetBackend", L, {}, 404, nf, "App")
        self.step("ListBackendJobs", Ld, {}, 404, nf)
        self.step("GetBackendAuth", Ld, {"resourceName": AUTH_NAME}, 404, nf)
        self.step("CreateBackendAuth", L, {"backendEnvironmentName": "dev", "resourceName": "a2",
                                           "resourceConfig": minimal_auth("p")}, 404, nf)
        self.step("GetToken", dict(L, sessionId=fx.session), None, 404, nf, "Token")
        self.step("DeleteToken", dict(L, sessionId=fx.session), None, 404, nf)
        self.step("RemoveBackendConfig", L, None, 404, nf)
        self.step("UpdateBackendConfig", L, {"loginAuthConfig": {}}, "4xx")
        # Jobs outlive their app (RemoveAllBackends' own job must stay pollable): not pinned by the contract.
        self.step("GetBackendJob", dict(Ld, jobId=fx.job), None, "any", name="job-of-removed-app")
        self.step("UpdateBackendJob", dict(Ld, jobId=fx.job), {"status": "FAILED"}, "any", name="update-job-of-removed-app")
        self.step("CloneBackend", Ld, {"targetEnvironmentName": "x"}, 404, nf)
        self.step("DeleteBackend", Ld, None, 404, nf)
        self.step("CreateBackendStorage", L, {"backendEnvironmentName": "dev", "resourceName": "s",
                                              "resourceConfig": storage_config(fx.bucket)}, 404, nf)
        self.step("RemoveAllBackends", L, {"cleanAmplifyApp": True}, "4xx", name="RemoveAllBackends-again")
        self.step("CreateBackend", {}, {"appId": fx.app, "appName": "again", "backendEnvironmentName": "dev"}, 200,
                  name="CreateBackend-again")
        a = self.step("GetBackend", L, {}, 200, name="GetBackend-recreated")
        if a.status == 200 and (a.json() or {}).get("backendEnvironmentList") != ["dev"]:
            self.fail("contract", "a re-created app shows old environments", Request("order/removed-app/GetBackend", "order"), a)
        self.step("GetBackendAuth", Ld, {"resourceName": AUTH_NAME}, 404, nf, "BackendAuth", name="auth-gone-after-recreate")
        self.step("GetToken", dict(L, sessionId=fx.session), None, 404, nf, name="token-gone-after-recreate")

    def seq_removed_env(self):
        fx = self.fixture({"prod", "auth"})
        if fx is None:
            return
        L = {"appId": fx.app}
        Ld = {"appId": fx.app, "backendEnvironmentName": "dev"}
        Lp = {"appId": fx.app, "backendEnvironmentName": "prod"}
        nf = "NotFoundException"
        self.step("DeleteBackend", Lp, None, 200)
        self.step("GetBackend", L, {"backendEnvironmentName": "prod"}, 404, nf, "BackendEnvironment")
        self.step("ListBackendJobs", Lp, {}, 404, nf)
        self.step("CreateBackendAuth", L, {"backendEnvironmentName": "prod", "resourceName": "a",
                                           "resourceConfig": minimal_auth("p")}, 404, nf)
        self.step("CreateBackendAPI", L, {"backendEnvironmentName": "prod", "resourceName": "a",
                                          "resourceConfig": api_config()}, 404, nf)
        self.step("ImportBackendStorage", Lp, {"serviceName": "S3", "bucketName": f"fz-{fx.tag}-x"}, 404, nf)
        self.step("CloneBackend", Lp, {"targetEnvironmentName": "x"}, 404, nf, "BackendEnvironment")
        self.step("DeleteBackend", Lp, None, 404, nf, name="DeleteBackend-again")
        self.step("CloneBackend", Ld, {"targetEnvironmentName": "prod"}, 200, name="clone-recreates-prod")
        self.step("DeleteBackend", Ld, None, 200, name="DeleteBackend-dev")
        a = self.step("GetBackend", L, {}, 200, name="GetBackend-first-is-prod")
        if a.status == 200 and (a.json() or {}).get("backendEnvironmentName") != "prod":
            self.fail("contract", "GetBackend without an environment does not answer the remaining one",
                      Request("order/removed-env/GetBackend", "order"), a)
        self.step("GetBackendAuth", Ld, {"resourceName": AUTH_NAME}, 404, nf, name="auth-of-removed-env")
        # DeleteBackend's own job lives in the environment it removes, so its jobs may stay readable.
        self.step("GetBackendJob", dict(Ld, jobId=fx.job), None, "any", name="job-of-removed-env")

    def seq_create_twice(self):
        fx = self.fixture({"auth", "api", "storage"})
        if fx is None:
            return
        L, Ld = {"appId": fx.app}, {"appId": fx.app, "backendEnvironmentName": "dev"}
        br = "BadRequestException"
        self.step("CreateBackend", {}, {"appId": fx.app, "appName": "x", "backendEnvironmentName": "dev"}, 400, br)
        self.step("CreateBackendAuth", L, {"backendEnvironmentName": "dev", "resourceName": "other",
                                           "resourceConfig": minimal_auth("p")}, 400, br)
        self.step("ImportBackendAuth", Ld, {"userPoolId": "us-east-1_X", "webClientId": "w", "nativeClientId": "n"}, 400, br)
        self.step("CreateBackendAPI", L, {"backendEnvironmentName": "dev", "resourceName": API_NAME,
                                          "resourceConfig": api_config()}, 400, br)
        self.step("CreateBackendStorage", L, {"backendEnvironmentName": "dev", "resourceName": "s2",
                                              "resourceConfig": storage_config(f"fz-{fx.tag}-2")}, 400, br)
        self.step("ImportBackendStorage", Ld, {"serviceName": "S3", "bucketName": f"fz-{fx.tag}-3"}, 400, br)
        self.step("CreateBackendAPI", L, {"backendEnvironmentName": "dev", "resourceName": "second",
                                          "resourceConfig": api_config()}, 200, name="second-api-is-fine")

    def seq_jobs(self):
        fx = self.fixture({"prod"})
        if fx is None:
            return
        Ld = {"appId": fx.app, "backendEnvironmentName": "dev"}
        J = dict(Ld, jobId=fx.job)
        br, nf = "BadRequestException", "NotFoundException"
        for st in ("RUNNING", "completed", "PENDING", "", "COMPLETED "):
            self.step("UpdateBackendJob", J, {"status": st}, 400, br, name=f"status-{st.strip() or 'empty'}")
        self.step("UpdateBackendJob", dict(Ld, jobId=str(uuid.UUID(int=self.rng.getrandbits(128)))),
                  {"status": "COMPLETED"}, 404, nf, "BackendJob")
        self.step("GetBackendJob", dict(J, backendEnvironmentName="prod"), None, 404, nf, name="job-in-other-env")
        self.step("ListBackendJobs", Ld, {"maxResults": 0}, 400, br, name="maxResults-0")
        self.step("ListBackendJobs", Ld, {"maxResults": 26}, 400, br, name="maxResults-26")
        self.step("ListBackendJobs", Ld, {"nextToken": "forged"}, 400, br, name="forged-token")
        for i in range(2):
            self.step("UpdateBackendJob", J, {"operation": f"Renamed{i}"}, 200, name=f"rename-{i}")
        self.step("CreateBackendConfig", {"appId": fx.app}, {}, 200, name="second-job")
        a = self.step("ListBackendJobs", Ld, {"maxResults": 1}, 200, name="page-1")
        token = (a.json() or {}).get("nextToken") if a.status == 200 else None
        if token:
            self.step("ListBackendJobs", Ld, {"maxResults": 1, "nextToken": token}, 200, name="page-2")
            self.step("ListBackendJobs", dict(Ld, backendEnvironmentName="prod"), {"maxResults": 1, "nextToken": token},
                      400, br, name="token-in-other-env")
            self.step("ListBackendJobs", Ld, {"maxResults": 1, "nextToken": token, "status": "FAILED"}, 400, br,
                      name="token-with-other-filter")
            self.step("ListBackendJobs", Ld, {"maxResults": 1, "nextToken": token[:-2] + ("A" if token[-2] != "A" else "B")
                                              + token[-1]}, 400, br, name="tampered-token")
        self.step("UpdateBackendJob", J, {"status": "FAILED"}, 200, name="cancel")
        a = self.step("GetBackendJob", J, None, 200, name="after-cancel")
        if a.status == 200 and (a.json() or {}).get("status") != "FAILED":
            self.fail("contract", "UpdateBackendJob status FAILED did not stick", Request("order/jobs/after-cancel", "order"), a)

    def seq_tokens(self):
        fx = self.fixture({"token"})
        if fx is None:
            return
        S = {"appId": fx.app, "sessionId": fx.session}
        nf = "NotFoundException"
        self.step("GetToken", S, None, 200)
        other = self.new_app_id()
        self.step("GetToken", dict(S, appId=other), None, 404, nf, name="session-of-other-app")
        self.step("DeleteToken", dict(S, appId=other), None, 404, nf, name="delete-via-other-app")
        self.step("GetToken", S, None, 200, name="still-there")
        self.step("DeleteToken", S, None, 200)
        self.step("GetToken", S, None, 404, nf, "Token", name="after-delete")
        self.step("DeleteToken", S, None, 404, nf, "Token", name="delete-again")
        self.step("CreateToken", {"appId": other}, {}, "any", expect="any", name="token-for-unknown-app")

    def seq_config(self):
        fx = self.fixture(set())
        if fx is None:
            return
        L = {"appId": fx.app}
        nf = "NotFoundException"
        self.step("UpdateBackendConfig", L, {"loginAuthConfig": {"aws_cognito_region": "us-east-1"}}, "4xx",
                  name="update-before-create")
        self.step("RemoveBackendConfig", L, None, 404, nf, "BackendConfig", name="remove-before-create")
        self.step("CreateBackendConfig", L, {"backendManagerAppId": "m"}, 200)
        a = self.step("UpdateBackendConfig", L, {"loginAuthConfig": {"aws_cognito_region": "us-east-1",
                                                                      "aws_user_pools_id": "us-east-1_X"}}, 200)
        if a.status == 200 and (a.json() or {}).get("loginAuthConfig", {}).get("aws_user_pools_id") != "us-east-1_X":
            self.fail("contract", "UpdateBackendConfig did not answer the stored loginAuthConfig",
                      Request("order/config/UpdateBackendConfig", "order"), a)
        self.step("RemoveBackendConfig", L, None, 200)
        self.step("RemoveBackendConfig", L, None, 404, nf, "BackendConfig", name="remove-again")
        self.step("UpdateBackendConfig", L, {"loginAuthConfig": {}}, "4xx", name="update-after-remove")

    def seq_resource_after_delete(self):
        fx = self.fixture({"api", "models", "auth", "storage"})
        if fx is None:
            return
        Ld = {"appId": fx.app, "backendEnvironmentName": "dev"}
        nf = "NotFoundException"
        self.step("DeleteBackendAPI", Ld, {"resourceName": API_NAME}, 200)
        self.step("GenerateBackendAPIModels", Ld, {"resourceName": API_NAME}, 404, nf, "BackendAPI")
        self.step("GetBackendAPIModels", Ld, {"resourceName": API_NAME}, 404, nf, "BackendAPI")
        self.step("UpdateBackendAPI", Ld, {"resourceName": API_NAME, "resourceConfig": {"apiName": "x"}}, 404, nf)
        self.step("GetBackendAPI", Ld, {"resourceName": API_NAME}, 404, nf, "BackendAPI")
        self.step("DeleteBackendAuth", Ld, {"resourceName": AUTH_NAME}, 200)
        self.step("UpdateBackendAuth", Ld, {"resourceName": AUTH_NAME, "resourceConfig": {
            "authResources": "USER_POOL_ONLY", "service": "COGNITO", "userPoolConfigs": {}}}, 404, nf, "BackendAuth")
        self.step("DeleteBackendStorage", Ld, {"resourceName": STORAGE_NAME, "serviceName": "S3"}, 200)
        self.step("UpdateBackendStorage", Ld, {"resourceName": STORAGE_NAME, "resourceConfig": {
            "serviceName": "S3", "permissions": {"authenticated": ["READ"]}}}, 404, nf, "BackendStorage")
        self.step("CreateBackendStorage", {"appId": fx.app}, {"backendEnvironmentName": "dev", "resourceName": "again",
                                                               "resourceConfig": storage_config(fx.bucket)}, "any",
                  expect="any", name="reuse-bucket-name")

    def seq_models_odd_schemas(self):
        fx = self.fixture({"api"})
        if fx is None:
            return
        Ld = {"appId": fx.app, "backendEnvironmentName": "dev"}
        rng = random.Random(f"{self.seed}:models:{fx.tag}")
        for i in rng.sample(range(len(GRAPHQL)), 3):
            # Over the documented limits (README: 512 Ki characters, 1,000 @model types), or with a NUL (no store holds
            # it), the update itself is a 400.
            over = len(GRAPHQL[i]) > MAX_SCHEMA_CHARS or GRAPHQL[i].count("@model") > MAX_MODELS or "\u0000" in GRAPHQL[i]
            self.step("UpdateBackendAPI", Ld, {"resourceName": API_NAME, "resourceConfig": {"transformSchema": GRAPHQL[i]}},
                      400 if over else 200, name=f"update-schema{i}")
            if over:
                continue
            a = self.step("GenerateBackendAPIModels", Ld, {"resourceName": API_NAME}, 200, name=f"generate-schema{i}")
            job = self.job_of(a)
            if job:
                j = self.step("GetBackendJob", dict(Ld, jobId=job), None, 200, name=f"job-schema{i}")
                if j.status == 200 and (j.json() or {}).get("status") not in ("COMPLETED", "FAILED", "RUNNING"):
                    self.fail("contract", "odd job status", Request(f"order/models/job-schema{i}", "order"), j)
            self.step("GetBackendAPIModels", Ld, {"resourceName": API_NAME}, 200, name=f"models-schema{i}")

    def seq_pending_job(self):
        """With --jobs manual: every asynchronous call on an environment with a RUNNING job is refused, and changes nothing."""
        if self.jobs_mode != "manual":
            return
        fx = self.fixture({"prod", "auth", "api", "storage"})
        if fx is None:
            return
        L, Ld = {"appId": fx.app}, {"appId": fx.app, "backendEnvironmentName": "dev"}
        auth_update = {"resourceName": AUTH_NAME, "resourceConfig": {
            "authResources": "USER_POOL_ONLY", "service": "COGNITO",
            "userPoolConfigs": {"passwordPolicy": {"minimumLength": 12.0}}}}
        a = self.step("UpdateBackendAuth", Ld, auth_update, 200, settle=False, name="start-job")
        job = self.job_of(a)
        if not job:
            return
        op = self.model.ops["UpdateBackendAuth"]
        probes_op = self.model.ops["UpdateBackendAPI"]
        before = [self.snapshot(op, fx), self.snapshot(probes_op, fx)]
        pending = "There is already a pending job"
        br = "BadRequestException"
        calls = [
            ("UpdateBackendAuth", Ld, auth_update),
            ("DeleteBackendAuth", Ld, {"resourceName": AUTH_NAME}),
            ("CreateBackendAPI", L, {"backendEnvironmentName": "dev", "resourceName": "other", "resourceConfig": api_config()}),
            ("UpdateBackendAPI", Ld, {"resourceName": API_NAME, "resourceConfig": {"apiName": "renamed"}}),
            ("DeleteBackendAPI", Ld, {"resourceName": API_NAME}),
            ("GenerateBackendAPIModels", Ld, {"resourceName": API_NAME}),
            ("UpdateBackendStorage", Ld, {"resourceName": STORAGE_NAME, "resourceConfig": {
                "serviceName": "S3", "permissions": {"authenticated": ["READ"]}}}),
            ("DeleteBackendStorage", Ld, {"resourceName": STORAGE_NAME, "serviceName": "S3"}),
            ("CloneBackend", Ld, {"targetEnvironmentName": "pendingclone"}),
            ("DeleteBackend", Ld, None),
            ("RemoveAllBackends", L, {"cleanAmplifyApp": True}),
            ("CreateBackendConfig", L, {"backendManagerAppId": "m"}),
        ]
        for op_name, labels, body in calls:
            self.step(op_name, labels, body, 400, br, name=f"{op_name}-while-pending", message=pending, settle=False)
        after = [self.snapshot(op, fx), self.snapshot(probes_op, fx)]
        if None not in before and None not in after:
            self.state_checks += 1
            d = self.diff(before[0], after[0]) + self.diff(before[1], after[1])
            if d:
                self.violation("state-change", "state changed across requests refused for a pending job: " + " | ".join(d),
                               [f"order/pending-job/{c[0]}-while-pending" for c in calls])
        self.step("CreateBackendAuth", L, {"backendEnvironmentName": "prod", "resourceName": "p",
                                           "resourceConfig": minimal_auth("p")}, 200, name="other-env-is-free")
        self.step("UpdateBackendJob", dict(Ld, jobId=job), {"status": "COMPLETED"}, 200, name="finish-job")
        self.step("UpdateBackendAuth", Ld, auth_update, 200, name="after-finish")

    def order_group(self, scenario):
        scenario()

    # ---- the run -------------------------------------------------------------------------------------------------

    def health(self, label):
        """A valid call must still work."""
        app = self.new_app_id()
        ok = True
        a = self.call("CreateBackend", {}, {"appId": app, "appName": "health", "backendEnvironmentName": "dev"},
                      category="health", name=f"health/{label}/CreateBackend")
        ok &= a.status == 200
        self.settle(app, "dev", self.job_of(a))
        a = self.call("GetBackend", {"appId": app}, {}, category="health", name=f"health/{label}/GetBackend")
        ok &= a.status == 200 and (a.json() or {}).get("appId") == app
        a = self.call("ListS3Buckets", {}, {}, category="health", name=f"health/{label}/ListS3Buckets")
        ok &= a.status == 200
        return ok and self.alive()

    def plan(self):
        r = 0
        while True:
            rng = random.Random(f"{self.seed}:round:{r}")
            items = [("op", name) for name in self.model.ops]
            items.append(("raw", None))
            items += [("family", None)] * 4  # four services, each group a different sample of their cases
            items += [("order", i) for i in range(len(self.scenarios()))]
            rng.shuffle(items)
            for i, item in enumerate(items):
                yield r, i, item
            r += 1

    def run(self):
        if not self.health("before"):
            self.unhealthy = True
            print("fuzz: the server is not healthy before the run", file=sys.stderr)
            return
        raw_rounds = 0
        for r, i, (kind, what) in self.plan():
            if self.exhausted(reserve=30):
                break
            gi = f"{r}.{i}"
            rng = random.Random(f"{self.seed}:group:{gi}")
            if kind == "op":
                self.current_group = f"{what}#{gi}"
                self.op_group(self.model.ops[what], gi, rng)
            elif kind == "family":
                self.current_group = f"family#{gi}"
                self.family_group(gi, rng)
            elif kind == "raw":
                self.current_group = f"raw#{gi}"
                self.raw_group(raw_rounds, rng)
                raw_rounds += 1
            else:
                scenario = self.scenarios()[what]
                self.current_group = f"order#{gi}/{scenario.__name__[4:].replace('_', '-')}"
                self.order_group(scenario)
            if self.dead:
                break
            if self.args.progress:
                print(f"fuzz: {self.sent} requests, {len(self.failures)} failures, {time.monotonic() - self.started:.0f} s "
                      f"({self.current_group})", file=sys.stderr, flush=True)
        self.transport.close()
        self.peak_rss = self.server_peak_rss()
        if self.dead:
            self.unhealthy = True
            detail = "the server stopped answering during the run"
            if self.proc is not None and self.proc.poll() is not None:
                detail = f"the server process exited with code {self.proc.returncode} during the run"
            self.violation("unhealthy-after", detail, [self.current_group])
            return
        if not self.health("after"):
            self.unhealthy = True
            self.violation("unhealthy-after", "a valid call failed after the run, or the process is gone", ["health/after"])

    def report(self):
        elapsed = time.monotonic() - self.started
        out = []
        out.append(f"fuzz: seed {self.seed}, {self.sent} requests to {self.endpoint} in {elapsed:.1f} s "
                   f"(account {self.access_key}, region {self.region}, case digest {self.digest.hexdigest()[:16]})")
        out.append("requests by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(self.by_status.items(), key=lambda kv: str(kv[0]))))
        out.append("requests by error type: " + ", ".join(f"{k}: {v}" for k, v in sorted(self.by_type.items())))
        out.append("requests by case category: " + ", ".join(f"{k}: {v}" for k, v in sorted(self.by_category.items())))
        if self.server_level:
            out.append("server-level answers (no x-amzn-ErrorType, no x-amzn-RequestId: the HTTP server answered or closed):")
            for status, cats in sorted(self.server_level.items()):
                out.append(f"  {status}: {sum(cats.values())} ({', '.join(f'{c} {n}' for c, n in sorted(cats.items()))})")
        else:
            out.append("server-level answers: none")
        five = self.fail_kinds.get("5xx", 0)
        out.append(f"5xx: {five}")
        out.append(f"hangs: {self.fail_kinds.get('hang', 0)}")
        out.append(f"state-change violations: {self.fail_kinds.get('state-change', 0)} "
                   f"(batches compared: {self.state_checks}, not comparable because a request was accepted: {self.state_skipped})")
        other = {k: v for k, v in self.fail_kinds.items() if k not in ("5xx", "hang", "state-change")}
        out.append("other failures: " + (", ".join(f"{k}: {v}" for k, v in sorted(other.items())) or "none"))
        out.append(f"unhealthy after: {'yes' if self.unhealthy else 'no'}")
        out.append(f"slowest answer: {self.slowest[0]:.0f} ms ({self.slowest[1]})")
        if self.peak_rss is not None:
            out.append(f"server peak memory (VmHWM): {self.peak_rss} MiB")
        if self.failures:
            out.append("")
            shown = self.failures[:self.args.max_failures]
            for f in shown:
                out.append(self.format_failure(f))
            if len(self.failures) > len(shown):
                out.append(f"... {len(self.failures) - len(shown)} more failures (--max-failures)")
            out.append("")
        out.append(f"fuzz: {self.passed} passed, {len(self.failures)} failed")
        print("\n".join(out), flush=True)
        return 0 if not self.failures else 1


# =====================================================================================================================
# Starting and stopping the server
# =====================================================================================================================

class Server:
    def __init__(self, cmd, start_timeout):
        self.cmd = cmd
        self.lines = collections.deque(maxlen=200)
        self.url = None
        self.jobs_mode = None
        self.launch = ampstack_launcher.Launch(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                               stdin=subprocess.DEVNULL, start_new_session=True)
        self.proc = self.launch.proc

        def pump():
            for raw in self.proc.stdout:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

        self.pump = threading.Thread(target=pump, daemon=True)
        self.pump.start()
        try:
            ready = self.launch.wait(start_timeout, lambda: "\n".join(self.lines))
        except ampstack_launcher.LaunchError as e:
            self.stop()
            raise RuntimeError(f"the server did not become ready: {e}") from None
        self.url = ready["url"]
        self.jobs_mode = ready.get("jobs")

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.pump.join(5)  # the last lines of its output
        self.launch.cleanup()
        return self.proc.returncode


def check_provisioned(fuzzer, provisioning, region):
    """With provisioning on: what the endpoint holds was made once per resource (no resource key twice per kind)."""
    try:
        made = provisioning.tagged(region)
    except Exception as e:  # noqa: BLE001
        fuzzer.violation("provisioning", f"could not list what {provisioning.url} holds: {e!r}", ["endpoint"])
        return
    for kind, things in made.items():
        keys = collections.Counter(key for _, key in things)
        twice = sorted(key for key, n in keys.items() if n > 1)
        if twice:
            fuzzer.violation("provisioning", f"{kind}s made twice on {provisioning.url} for: {', '.join(twice[:10])}",
                             ["endpoint"])
    ends = ", ".join(f"{n} {status}" for status, n in sorted(fuzzer.provision_ends.items())) or "none"
    print(f"fuzz: provisioning on {provisioning.url}: jobs waited for ended {ends}; made there: "
          + ", ".join(f"{len(things)} {kind}s" for kind, things in made.items()), file=sys.stderr)
    for reason, n in fuzzer.provision_reasons.most_common(5):
        print(f"fuzz:   FAILED x{n}: {reason}", file=sys.stderr)


def main(argv=None):
    p = argparse.ArgumentParser(description="Deterministic HTTP fuzzer for Ampstack (see tools/fuzz/README.md).")
    p.add_argument("--seed", type=int, default=1, help="the seed every case derives from (default 1)")
    p.add_argument("--requests", type=int, default=3000, help="stop after about this many requests (default 3000)")
    p.add_argument("--endpoint", help="a running server, e.g. http://127.0.0.1:4580")
    p.add_argument("--pid", type=int, help="with --endpoint: the server's pid, checked to be alive")
    p.add_argument("--ampstack", help="start PATH serve --port 0 --data-dir <tmp> and stop it at the end")
    p.add_argument("--access-key", help="SigV4 access key; default: a fresh 12-digit key (its own account) per run")
    p.add_argument("--secret-key", default="test", help="SigV4 secret key (default test)")
    p.add_argument("--region", default="us-east-1", help="SigV4 region (default us-east-1)")
    p.add_argument("--auth", choices=("lenient", "strict"), default="lenient",
                   help="with --ampstack: strict starts the server with a credential store holding the fuzzer's key, so "
                        "every signature is verified (default lenient)")
    p.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds; beyond it is a hang")
    p.add_argument("--group-size", type=int, default=48, help="hostile requests per case group (one fresh app each)")
    p.add_argument("--job-wait", type=float, default=15.0, help="seconds to wait for a job before completing it by hand")
    p.add_argument("--jobs-mode", choices=("immediate", "manual", "delay"),
                   help="the server's --jobs mode (read from its ready file when the fuzzer starts the server)")
    p.add_argument("--start-timeout", type=float, default=300.0, help="seconds to wait for a started server to be ready")
    p.add_argument("--allow-server-status", type=int, action="append", default=[], metavar="STATUS",
                   help="a 5xx the HTTP server itself may answer (e.g. 505 to an unknown HTTP version) without "
                        "counting as a failure; repeatable. Answers from the service are never excused")
    p.add_argument("--spec", default=DEFAULT_SPEC, help="the service model (default: the vendored one)")
    p.add_argument("--max-failures", type=int, default=1000, help="failures printed in full at the end")
    p.add_argument("--save-failures", metavar="DIR", help="write each failing request's raw bytes to DIR/fail-NNNN.http")
    p.add_argument("--no-bisect", dest="bisect", action="store_false", help="do not replay a batch to find a state-changer")
    p.add_argument("--keep-data", action="store_true", help="keep the started server's data directory")
    p.add_argument("--progress", action="store_true", help="a line on stderr after each case group")
    p.add_argument("-v", "--verbose", action="store_true", help="print each failure as it happens (stderr)")
    p.add_argument("--serve", nargs=argparse.REMAINDER, metavar="CMD",
                   help="start this command (the rest of the line); --port 0 and --data-dir <tmp> are added when absent")
    moto_endpoint.add_arguments(p)
    args = p.parse_args(argv)
    if sum(bool(x) for x in (args.endpoint, args.ampstack, args.serve)) != 1:
        p.error("give exactly one of --endpoint URL, --ampstack PATH, --serve CMD...")
    if args.endpoint and (args.provision or args.provision_endpoint):
        p.error("--provision and --provision-endpoint apply to a server the fuzzer starts (--ampstack, --serve)")
    if args.access_key is None:
        # Unique per run, whatever the seed: a run never sees another run's data. The cases do not depend on it.
        args.access_key = "9" + "".join(str(b % 10) for b in os.urandom(11))
    model = Model(args.spec)
    server = None
    data_dir = None
    provisioning = None
    try:
        if args.endpoint:
            endpoint = args.endpoint.rstrip("/")
            host = urllib.parse.urlsplit(endpoint).hostname
            if host not in ("127.0.0.1", "localhost", "::1"):
                p.error("the fuzzer only sends traffic to the loopback interface")
        else:
            data_dir = tempfile.mkdtemp(prefix="ampstack-fuzz-")
            if args.ampstack:
                cmd = [args.ampstack, "serve", "--port", "0", "--data-dir", data_dir]
                if args.auth == "strict":
                    key = args.access_key
                    account = key if len(key) == 12 and key.isdigit() else "000000000000"
                    credentials = os.path.join(data_dir, "credentials")
                    with open(os.open(credentials, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
                        f.write(f"{key} {args.secret_key} {account}\n")
                    cmd += ["--credentials", credentials]
            else:
                cmd = list(args.serve)
                if len(cmd) == 1 and " " in cmd[0]:
                    cmd = shlex.split(cmd[0])
                if "--port" not in cmd:
                    cmd += ["--port", "0"]
                if "--data-dir" not in cmd:
                    cmd += ["--data-dir", data_dir]
            provisioning = moto_endpoint.from_arguments(args)
            if provisioning is not None:
                cmd += ["--provision-endpoint", provisioning.url]
                args.provisioning = True
            print(f"fuzz: starting {' '.join(cmd)}", file=sys.stderr, flush=True)
            server = Server(cmd, args.start_timeout)
            endpoint = server.url.rstrip("/")
            if args.jobs_mode is None and server.jobs_mode:
                args.jobs_mode = server.jobs_mode.split(":")[0]
            print(f"fuzz: server at {endpoint} (pid {server.proc.pid})", file=sys.stderr, flush=True)
        fuzzer = Fuzzer(args, model, endpoint, proc=server.proc if server else None, pid=args.pid)
        try:
            fuzzer.run()
        except KeyboardInterrupt:
            print("fuzz: interrupted", file=sys.stderr)
        if provisioning is not None:
            check_provisioned(fuzzer, provisioning, args.region)
        if server is not None:
            died = server.proc.poll() is not None
            code = server.stop()
            if died and not any(f["kind"] == "unhealthy-after" for f in fuzzer.failures):
                fuzzer.violation("unhealthy-after", f"the server process exited with code {code}", ["process"])
            if died or fuzzer.failures and any(f["kind"] in ("5xx", "unhealthy-after") for f in fuzzer.failures):
                print("fuzz: last lines of the server's output:\n  " + "\n  ".join(list(server.lines)[-40:]),
                      file=sys.stderr)
            print(f"fuzz: server stopped (exit code {code})", file=sys.stderr)
        return fuzzer.report()
    finally:
        if server is not None:
            server.stop()
        if data_dir and not args.keep_data:
            shutil.rmtree(data_dir, ignore_errors=True)
        if provisioning is not None:
            provisioning.stop()


if __name__ == "__main__":
    sys.exit(main())
