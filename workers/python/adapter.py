"""fnpad's Python adapter: the handler contract (DESIGN.md §2) on the Python side.

Loaded unchanged by the browser worker and the edge isolate. It builds the `request` a
handler receives, turns whatever the handler returns into a response, captures print()
output and describes exceptions. User code can `from fnpad import Response`.
"""

import _signal
import asyncio
import inspect
import json
import linecache
import sys
import traceback
import types
from collections.abc import Mapping
from urllib.parse import parse_qsl

from js import Object
from pyodide.ffi import to_js

HANDLER_FILE = "<handler>"
CACHED_HANDLERS = 8
TEXT_TYPE = "text/plain; charset=utf-8"
JSON_TYPE = "application/json"
BYTES_TYPE = "application/octet-stream"


class MultiDict(Mapping):
    """Read-only mapping of first values per key; every value stays available via getall()."""

    def __init__(self, pairs):
        self._pairs = [(self._key(k), str(v)) for k, v in pairs]

    @staticmethod
    def _key(key):
        return key

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

    def to_dict(self):
        """Every key with the list of all its values."""
        return {k: self.getall(k) for k in self}

    def __repr__(self):
        return f"{type(self).__name__}({self._pairs!r})"


class Query(MultiDict):
    """The query string's parameters (case-sensitive names)."""


class Headers(MultiDict):
    """Request headers; names are case-insensitive."""

    @staticmethod
    def _key(key):
        return key.lower()


class Request:
    """The request a handler receives."""

    def __init__(self, method, url, path, query_string, headers, body, env=None):
        self.method = method
        self.url = url
        self.path = path
        self.query_string = query_string
        self.query = Query(parse_qsl(query_string, keep_blank_values=True))
        self.headers = Headers(headers)
        self.body = body
        # The snippet's variables and secrets (name -> str), a fresh dict per run.
        self.env = {} if env is None else env

    @property
    def query_all(self):
        """Every query parameter with the list of all its values."""
        return self.query.to_dict()

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Request {self.method} {self.path}>"


def _check_status(status):
    if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status <= 599:
        raise ValueError(f"status must be an int from 200 to 599, not {status!r}")
    return status


def _header_pairs(headers):
    if headers is None:
        return []
    items = headers.items() if isinstance(headers, Mapping) else headers
    return [(str(name), str(value)) for name, value in items]


def _encode_body(body):
    """The body's bytes and the content type its kind implies."""
    if body is None:
        return b"", None
    if isinstance(body, str):
        return body.encode(), TEXT_TYPE
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body), BYTES_TYPE
    if isinstance(body, (dict, list, tuple, int, float)):
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), JSON_TYPE
    raise TypeError(f"fnpad cannot send a {type(body).__name__} as a response body")


class Response:
    """A response with its own status and headers: `Response(body, status=200, headers=None)`."""

    def __init__(self, body="", status=200, headers=None):
        self.body, implied_type = _encode_body(body)
        self.status = _check_status(status)
        self.headers = _header_pairs(headers)
        if implied_type and not any(k.lower() == "content-type" for k, _ in self.headers):
            self.headers.insert(0, ("content-type", implied_type))

    def __repr__(self):
        return f"<Response {self.status}>"


def _with_headers(response, headers):
    """`response` with `headers` replacing any of the same name."""
    names = {name.lower() for name, _ in headers}
    kept = [(k, v) for k, v in response.headers if k.lower() not in names]
    response.headers = kept + headers
    return response


def to_response(value):
    """The contract's return-value rules, Flask-style tuples included."""
    if isinstance(value, Response):
        return value
    if value is None:
        return Response(None, status=204)
    if isinstance(value, tuple) and len(value) in (2, 3):
        body, *rest = value
        response = to_response(body)
        if isinstance(rest[0], int):
            response.status = _check_status(rest.pop(0))
        if rest:
            _with_headers(response, _header_pairs(rest[0]))
        return response
    return Response(value)


class LogWriter:
    """A text stream that hands each complete line to `emit(stream, line)`."""

    def __init__(self, stream, emit):
        self._stream, self._emit, self._pending = stream, emit, ""

    def write(self, text):
        *lines, self._pending = (self._pending + text).split("\n")
        for line in lines:
            self._emit(self._stream, line)
        return len(text)

    def flush(self):
        pass

    def close_line(self):
        if self._pending:
            self._emit(self._stream, self._pending)
            self._pending = ""

    def isatty(self):
        return False


# fnpad stops a runaway handler by raising KeyboardInterrupt through SIGINT: Pyodide's interrupt
# buffer trips SIGINT, and CPython ignores a tripped SIGINT unless a Python handler is installed,
# runs that handler instead of raising if it is not the default one. So a handler must not change
# it: the change is refused (with a note on stderr), and the default handler is put back before
# every run in case it was changed some other way. (Code that digs out the original function, e.g.
# through this module's globals, can still change it for the rest of its run; the deadline outside
# the runtime covers that.)
_set_signal_handler = _signal.signal
_default_int_handler = _signal.default_int_handler


def _signal_keeping_sigint(signalnum, handler):
    if signalnum == _signal.SIGINT:
        note = "fnpad: SIGINT keeps Python's default handler (fnpad stops runaway handlers with it)"
        print(note, file=sys.stderr)
        return _default_int_handler
    return _set_signal_handler(signalnum, handler)


_signal_keeping_sigint.__doc__ = _set_signal_handler.__doc__
# `signal.signal` calls `_signal.signal` by name, so both are covered.
_signal.signal = _signal_keeping_sigint


def _restore_sigint():
    _set_signal_handler(_signal.SIGINT, _default_int_handler)


_handlers = {}


def load_handler(code):
    """The `handler` defined by `code`, compiled and executed once per distinct code string."""
    linecache.cache[HANDLER_FILE] = (len(code), None, code.splitlines(True), HANDLER_FILE)
    if code in _handlers:
        _handlers[code] = _handlers.pop(code)  # most recently used last
        return _handlers[code]
    namespace = {"__name__": "handler", "__file__": HANDLER_FILE}
    exec(compile(code, HANDLER_FILE, "exec"), namespace)
    handler = namespace.get("handler")
    if not callable(handler):
        raise NameError("define a function named handler(request)")
    _handlers[code] = handler
    while len(_handlers) > CACHED_HANDLERS:
        del _handlers[next(iter(_handlers))]
    return handler


def describe_error(error):
    """Type, message, traceback (the user's frames only) and line of an exception."""
    summary = "".join(traceback.format_exception_only(error))
    if isinstance(error, SyntaxError) and error.filename == HANDLER_FILE:
        return {"type": type(error).__name__, "message": error.msg, "traceback": summary, "line": error.lineno}
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == HANDLER_FILE]
    if frames:
        stack = "".join(traceback.format_list(frames))
        summary = f"Traceback (most recent call last):\n{stack}{summary}"
    line = frames[-1].lineno if frames else None
    return {"type": type(error).__name__, "message": str(error), "traceback": summary, "line": line}


def run_env(env):
    """The snippet's env for one run as a plain dict of str; a new dict every run.

    Every way a handler can be written gets this same dict: `request.env` for `handler(request)`
    (and the `env` argument / `self.env` of the Workers-style forms).
    """
    if env is None:
        return {}
    return {str(name): str(value) for name, value in env.to_py().items()}


def run(code, wire, on_log, on_interrupted, env=None):
    """Runs `code`'s handler on a WireRequest; returns a JS object {response, error?, stopped}.

    A synchronous handler is answered synchronously: no trip through the event loop, which is
    most of a trivial run's cost. An async one gives a Future (a thenable in JS) of that object.
    `on_interrupted` is called first thing once a KeyboardInterrupt reached fnpad: it switches
    interrupts off, so the rest of this function cannot be interrupted in turn. `env` is a JS Map
    of the snippet's variables and secrets (their values never go into fnpad's own errors).
    """
    writers = LogWriter("stdout", on_log), LogWriter("stderr", on_log)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = writers
    outcome = {"stopped": False}
    _restore_sigint()
    try:
        handler = load_handler(code)
        request = Request(
            wire.method, wire.url, wire.path, wire.query, wire.headers.to_py(), wire.body.to_bytes()
        )
        request.env = run_env(env)
        value = handler(request)
        if inspect.isawaitable(value):
            return asyncio.ensure_future(_settle_async(value, outcome, writers, saved, on_interrupted))
        _settle(outcome, value)
    except BaseException as error:  # noqa: BLE001 - SystemExit too is the handler's own doing
        _fail(outcome, error, on_interrupted)
    _restore(writers, saved)
    return to_js(outcome, dict_converter=Object.fromEntries)


async def _settle_async(awaitable, outcome, writers, saved, on_interrupted):
    sys.stdout, sys.stderr = writers
    try:
        _settle(outcome, await awaitable)
    except BaseException as error:  # noqa: BLE001
        _fail(outcome, error, on_interrupted)
    finally:
        _restore(writers, saved)
    return to_js(outcome, dict_converter=Object.fromEntries)


def _settle(outcome, value):
    response = to_response(value)
    outcome["response"] = [response.status, response.headers, response.body]


def _fail(outcome, error, on_interrupted):
    if isinstance(error, KeyboardInterrupt):
        on_interrupted()
        outcome["stopped"] = True
    else:
        outcome["error"] = describe_error(error)


def _restore(writers, saved):
    for writer in writers:
        writer.close_line()
    sys.stdout, sys.stderr = saved


fnpad_module = types.ModuleType("fnpad", "The API handlers import: `from fnpad import Response`.")
fnpad_module.Response = Response
fnpad_module.Request = Request
sys.modules["fnpad"] = fnpad_module
