"""The `fnpad` module handlers import: `from fnpad import Response`.

Installed into `sys.modules` by the adapter before any handler runs (browser and edge alike). It
holds the request a handler receives and the `Response` it may return; the `workers` module
(Cloudflare's Python Workers API) reuses both.
"""

import inspect
import json
from collections.abc import Mapping
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl

TEXT_TYPE = "text/plain; charset=utf-8"
JSON_TYPE = "application/json"
BYTES_TYPE = "application/octet-stream"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class Ready:
    """An awaitable that is already done: `await request.json()` on a value fnpad has at hand."""

    def __init__(self, value):
        self._value = value

    def __await__(self):
        return self._value
        yield  # noqa: unreachable - makes this a generator, as __await__ must be


class MultiDict(Mapping):
    """Read-only mapping of first values per key; every value stays available via getall()."""

    def __init__(self, pairs):
        self._pairs = [(self._key(k), self._value(v)) for k, v in pairs]

    @staticmethod
    def _key(key):
        return key

    @staticmethod
    def _value(value):
        return str(value)

    def __getitem__(self, key):
        wanted = self._key(key)
        for k, v in self._pairs:
            if k == wanted:
                return v
        raise KeyError(key)

    def __iter__(self):
        return iter(dict.fromkeys(k for k, _ in self._pairs))

    def __len__(self):
        return len(dict.fromkeys(k for k, _ in self._pairs))

    def getall(self, key):
        """Every value given for `key`, in order (an empty list when there is none)."""
        wanted = self._key(key)
        return [v for k, v in self._pairs if k == wanted]

    def getlist(self, key):
        """Flask's name for getall()."""
        return self.getall(key)

    def to_dict(self):
        """Every key with the list of all its values."""
        return {k: self.getall(k) for k in self}

    def __repr__(self):
        return f"{type(self).__name__}({self._pairs!r})"


class Query(MultiDict):
    """The query string's parameters (case-sensitive names)."""


class Headers(MultiDict):
    """Request headers; names are case-insensitive; `get` gives None for a missing one."""

    @staticmethod
    def _key(key):
        return key.lower()


class Form(MultiDict):
    """A form body's fields (file fields as bytes). Flask reads `request.form[...]`, FastAPI
    `(await request.form())[...]`: calling it gives itself, and awaiting it does too."""

    @staticmethod
    def _value(value):
        return value

    def __call__(self):
        return self

    def __await__(self):
        return Ready(self).__await__()


class Text(str):
    """The body as text. fnpad reads `request.text`, Workers `await request.text()`: calling it
    gives itself, and awaiting it gives the plain string."""

    def __call__(self):
        return self

    def __await__(self):
        return Ready(str(self)).__await__()


class AwaitableDict(dict):
    """A JSON object body; also awaitable, for `await request.json()` (Workers, FastAPI)."""

    def __await__(self):
        return Ready(self).__await__()


class AwaitableList(list):
    """A JSON array body; also awaitable, like AwaitableDict."""

    def __await__(self):
        return Ready(self).__await__()


class AwaitableBytes(bytes):
    """The body's bytes from a call (`request.bytes()`, Workers' `await request.bytes()`)."""

    def __await__(self):
        return Ready(bytes(self)).__await__()


class AttrDict(dict):
    """A dict whose keys also read as attributes (`env.API_KEY`, `request.cf.country`)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no {name!r}") from None


class Env(AttrDict):
    """A handler's `env`: the snippet's variables and secrets, by attribute or item."""


def _form_pairs(content_type, body):
    if content_type.startswith("application/x-www-form-urlencoded"):
        return parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    if not content_type.startswith("multipart/form-data"):
        return []
    message = BytesParser(policy=HTTP).parsebytes(
        f"content-type: {content_type}\r\n\r\n".encode() + body
    )
    pairs = []
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        data = part.get_payload(decode=True) or b""
        is_file = part.get_filename() is not None
        pairs.append((name, data if is_file else data.decode("utf-8", errors="replace")))
    return pairs


class Request:
    """The request a handler receives."""

    def __init__(self, method, url, path, query_string, headers, body, cf=None):
        self.method = method
        self.url = url
        self.path = path
        self.query_string = query_string
        self.query = Query(parse_qsl(query_string, keep_blank_values=True))
        self.headers = Headers(headers)
        self.body = body
        self.cf = cf

    @property
    def cf(self):
        """Where the request came from (Cloudflare's `request.cf`), as an `AttrDict`."""
        if self._cf_source is not None:
            source, self._cf_source = self._cf_source, None
            self._cf = AttrDict(source.to_py())
        return self._cf

    @cf.setter
    def cf(self, value):
        self._cf = AttrDict(value or {})
        # The platform's `cf` (a JavaScript object) once the adapter sets it on a request it made:
        # turned into Python only if the handler reads `request.cf`, which most never do.
        self._cf_source = None

    @property
    def args(self):
        """Flask's name for `query`."""
        return self.query

    @property
    def query_all(self):
        """Every query parameter with the list of all its values."""
        return self.query.to_dict()

    @property
    def text(self):
        return Text(self.body.decode("utf-8", errors="replace"))

    def json(self):
        """The body parsed as JSON; an object, array or string may also be awaited (Workers style)."""
        value = json.loads(self.body)
        if isinstance(value, dict):
            return AwaitableDict(value)
        if isinstance(value, list):
            return AwaitableList(value)
        if isinstance(value, str):
            return Text(value)
        return value

    def bytes(self):
        """The body's bytes, as Workers' `await request.bytes()` / `array_buffer()` give them."""
        return AwaitableBytes(self.body)

    array_buffer = arrayBuffer = bytes

    def form_data(self):
        """Workers' name for `form`: `await request.form_data()` (or `formData()`)."""
        return self.form

    formData = form_data

    @property
    def form(self):
        """A url-encoded or multipart body's fields: `request.form[...]` or `await request.form()`."""
        return Form(_form_pairs(self.headers.get("content-type", ""), self.body))

    @property
    def cookies(self):
        """The `Cookie` header's cookies by name."""
        cookies = {}
        for header in self.headers.getall("cookie"):
            for part in header.split(";"):
                name, sep, value = part.strip().partition("=")
                if sep and name and name not in cookies:
                    cookies[name] = value.strip().strip('"')
        return cookies

    def __repr__(self):
        return f"<Request {self.method} {self.path}>"


def check_status(status):
    if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status <= 599:
        raise ValueError(f"status must be an int from 200 to 599, not {status!r}")
    return status


def header_pairs(headers):
    if headers is None:
        return []
    items = headers.items() if isinstance(headers, Mapping) else headers
    try:
        return [(str(name), str(value)) for name, value in items]
    except (TypeError, ValueError):
        raise TypeError(
            "headers must be a dict or a list of (name, value) pairs, not "
            f"{_a(type(headers).__name__)} ({headers!r:.60}); a returned tuple is "
            "(body, status), (body, headers) or (body, status, headers)"
        ) from None


def _a(noun):
    """`noun` with its indefinite article."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def is_stream(body):
    """A streamed body: a generator or async generator, each item a `str` or `bytes` chunk."""
    return inspect.isgenerator(body) or inspect.isasyncgen(body)


def _encode_body(body):
    """The body's bytes (a stream stays one, see `is_stream`) and the content type its kind implies."""
    if is_stream(body):
        return body, TEXT_TYPE
    if body is None:
        return b"", None
    if isinstance(body, str):
        return body.encode(), TEXT_TYPE
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body), BYTES_TYPE
    if isinstance(body, (dict, list, tuple, int, float)):
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), JSON_TYPE
    raise TypeError(f"fnpad cannot send {_a(type(body).__name__)} as a response body")


class Response:
    """A response with its own status and headers: `Response(body, status=200, headers=None)`.

    `Response.json(data)` and `Response.redirect(url)` as in Cloudflare's Python Workers.
    """

    def __init__(self, body="", status=200, headers=None):
        self.body, implied_type = _encode_body(body)
        self.status = check_status(status)
        self.headers = header_pairs(headers)
        if implied_type and not any(k.lower() == "content-type" for k, _ in self.headers):
            self.headers.insert(0, ("content-type", implied_type))

    @classmethod
    def json(cls, data, status=200, headers=None):
        """`data` as a JSON body, whatever its type (a string becomes a JSON string)."""
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        pairs = [(k, v) for k, v in header_pairs(headers) if k.lower() != "content-type"]
        return cls(text, status=status, headers=[("content-type", JSON_TYPE), *pairs])

    @classmethod
    def redirect(cls, url, status=302):
        """A redirect to `url` (status 301, 302, 303, 307 or 308)."""
        if status not in REDIRECT_STATUSES:
            raise ValueError(f"a redirect's status is one of {REDIRECT_STATUSES}, not {status!r}")
        return cls(None, status=status, headers={"location": str(url)})

    def __repr__(self):
        return f"<Response {self.status}>"
