"""fnpad's Python adapter: the handler contract (README.md) on the Python side.

Loaded unchanged by the browser worker and the edge isolate. It installs the `fnpad` and
`workers` modules (adapter-install.ts hands their sources in as MODULE_SOURCES), finds the
handler in one of the accepted forms, builds the `request` it receives, turns whatever it
returns into a response, captures print() output and describes exceptions.
"""

import _signal
import asyncio
import inspect
import itertools
import json
import linecache
import sys
import traceback
import types

from js import Object
from js import Response as JsResponse
from pyodide.ffi import JsProxy, to_js

HANDLER_FILE = "<handler>"
CACHED_HANDLERS = 8


def _install_module(name, source):
    """Makes `source` importable as `name` (no file system: the edge isolate has none to share)."""
    module = types.ModuleType(name)
    module.__file__ = f"<fnpad:{name}>"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


# In dependency order: `workers` and `_fnpad_forms` import `fnpad`.
for _name, _source in MODULE_SOURCES.items():  # noqa: F821 - set by adapter-install.ts before this runs
    _install_module(_name, _source)

from _fnpad_forms import find_entry  # noqa: E402
from fnpad import Env, Request, Response, check_status, header_pairs, is_stream  # noqa: E402


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
    if is_stream(value):
        return Response(value)
    if isinstance(value, tuple) and len(value) in (2, 3):
        body, *rest = value
        response = to_response(body)
        if isinstance(rest[0], int):
            response.status = check_status(rest.pop(0))
        if rest:
            _with_headers(response, header_pairs(rest[0]))
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
    """The entry (see `_fnpad_forms`) `code` defines, compiled and executed once per code string."""
    known = _handlers.pop(code, None)
    if known is None:
        # Its source lines, for tracebacks: set again on every run (a handler may clear the cache),
        # but split once per code (splitting 10 KB of code on every call took ~10 µs).
        lines = (len(code), None, code.splitlines(True), HANDLER_FILE)
        linecache.cache[HANDLER_FILE] = lines
        namespace = {"__name__": "handler", "__file__": HANDLER_FILE}
        exec(compile(code, HANDLER_FILE, "exec"), namespace)
        known = (find_entry(namespace), lines)
    _handlers[code] = known  # most recently used last
    while len(_handlers) > CACHED_HANDLERS:
        del _handlers[next(iter(_handlers))]
    linecache.cache[HANDLER_FILE] = known[1]
    return known[0]


def _is_js_response(value):
    """A JavaScript `Response` (`from js import Response; Response.new(...)`)."""
    return isinstance(value, JsProxy) and getattr(value, "constructor", None) == JsResponse


async def _from_js_response(response):
    """fnpad's Response for a JavaScript one, its body read to the end."""
    body = (await response.arrayBuffer()).to_bytes()
    headers = [tuple(pair) for pair in response.headers.entries()]
    result = Response(None, status=response.status, headers=headers)
    result.body = body
    return result


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


def run_env(env_json):
    """The snippet's env for one run as a plain dict of str; a new dict every run.

    Every way a handler can be written gets this same dict: `request.env` for `handler(request)`
    (and the `env` argument / `self.env` of the Workers-style forms). It comes as JSON: one string
    crosses from JavaScript faster than a Map converted entry by entry.
    """
    return json.loads(env_json)


def run(code, head, body, cf, on_log, on_interrupted, env_json):
    """Runs `code`'s handler on a request; returns the outcome as a JS array (`_outcome`).

    The request comes in few pieces, each quick to cross from JavaScript: `head`, the JSON of
    [method, url, path, query, headers]; `body`, a Uint8Array (None when empty); `cf`, the
    platform's object, turned into Python only if the handler reads it. `env_json` is the JSON of
    the snippet's variables and secrets (their values never go into fnpad's own errors).

    A synchronous handler is answered synchronously: no trip through the event loop, which is
    most of a trivial run's cost. An async one gives a Future (a thenable in JS) of that array.
    `on_interrupted` is called first thing once a KeyboardInterrupt reached fnpad: it switches
    interrupts off, so the rest of this function cannot be interrupted in turn.
    """
    _cancel_leftovers()
    writers = LogWriter("stdout", on_log), LogWriter("stderr", on_log)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = writers
    outcome = {"stopped": False}
    _restore_sigint()
    try:
        handler = load_handler(code)
        method, url, path, query, headers = json.loads(head)
        request = Request(method, url, path, query, headers, b"" if body is None else body.to_bytes())
        request._cf_source = cf
        request.env = Env(run_env(env_json))
        value = handler(request)
        if inspect.isawaitable(value) or _is_js_response(value):
            return asyncio.ensure_future(_settle_async(value, outcome, writers, saved, on_interrupted))
        _settle(outcome, value, writers, on_interrupted)
    except BaseException as error:  # noqa: BLE001 - SystemExit too is the handler's own doing
        _fail(outcome, error, on_interrupted)
    _restore(writers, saved)
    return _outcome(outcome)


def _outcome(outcome):
    """`outcome` as the JS array [stopped, response, error, stream] (absent ones undefined).

    An array, not an object: `to_js` of a dict with `Object.fromEntries` cost a warm run twice as
    much as the list, most of all with the CPU's caches cold, as they are between calls at the edge.
    """
    error = outcome.get("error")
    if error is not None:
        error = to_js(error, dict_converter=Object.fromEntries)
    return to_js([outcome["stopped"], outcome.get("response"), error, outcome.get("stream")])


def _cancel_leftovers():
    """Cancels the tasks earlier runs left pending (`asyncio.ensure_future(tick())` and such).

    At the edge a task ends with the request that made it; in a browser worker it would go on
    and print into the next run's console. Runs never overlap, so every task pending now is a
    leftover.
    """
    for task in asyncio.all_tasks(asyncio.get_event_loop()):
        task.cancel()


async def _settle_async(awaitable, outcome, writers, saved, on_interrupted):
    sys.stdout, sys.stderr = writers
    try:
        value = await awaitable if inspect.isawaitable(awaitable) else awaitable
        if _is_js_response(value):
            value = await _from_js_response(value)
        _settle(outcome, value, writers, on_interrupted)
    except BaseException as error:  # noqa: BLE001
        _fail(outcome, error, on_interrupted)
    finally:
        _restore(writers, saved)
    return _outcome(outcome)


def _settle(outcome, value, writers, on_interrupted):
    response = to_response(value)
    if is_stream(response.body):
        stream_id = next(_stream_ids)
        _streams[stream_id] = (response.body, writers, on_interrupted)
        outcome["stream"] = stream_id
        outcome["response"] = [response.status, response.headers, b""]
    else:
        outcome["response"] = [response.status, response.headers, response.body]


# Streams whose handler returned a generator: taken by `step` chunk by chunk, until the end.
_streams = {}
_stream_ids = itertools.count(1)


def _chunk_bytes(chunk):
    if isinstance(chunk, str):
        return chunk.encode()
    if isinstance(chunk, (bytes, bytearray, memoryview)):
        return bytes(chunk)
    raise TypeError(f"a streamed chunk must be str or bytes, not {type(chunk).__name__}")


def step(stream_id, cancel=False):
    """The next piece of stream `stream_id`: a JS object {chunk} or {done, error?, stopped}.

    A synchronous generator is stepped synchronously; an async one gives a Future of the object.
    With `cancel`, the generator is closed (its `finally` runs) and the stream ends.
    """
    record = _streams.get(stream_id)
    if record is None:  # ended already
        return to_js({"done": True}, dict_converter=Object.fromEntries)
    generator, writers, on_interrupted = record
    if cancel:
        del _streams[stream_id]
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = writers  # what its `finally` prints goes to the run's log
        if inspect.isgenerator(generator):
            _quietly(generator.close)
        else:
            _quietly(lambda: asyncio.ensure_future(generator.aclose()))
        _restore(writers, saved)
        return to_js({"done": True}, dict_converter=Object.fromEntries)
    if inspect.isasyncgen(generator):
        return asyncio.ensure_future(_step_async(stream_id, generator, writers, on_interrupted))
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = writers
    try:
        piece = {"chunk": _chunk_bytes(next(generator))}
    except StopIteration:
        piece = _end(stream_id, None, on_interrupted)
    except BaseException as error:  # noqa: BLE001
        piece = _end(stream_id, error, on_interrupted)
    _restore(writers, saved)
    return to_js(piece, dict_converter=Object.fromEntries)


async def _step_async(stream_id, generator, writers, on_interrupted):
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = writers
    try:
        piece = {"chunk": _chunk_bytes(await anext(generator))}
    except StopAsyncIteration:
        piece = _end(stream_id, None, on_interrupted)
    except BaseException as error:  # noqa: BLE001
        piece = _end(stream_id, error, on_interrupted)
    finally:
        _restore(writers, saved)
    return to_js(piece, dict_converter=Object.fromEntries)


def _end(stream_id, error, on_interrupted):
    _streams.pop(stream_id, None)
    outcome = {"done": True, "stopped": False}
    if error is not None:
        _fail(outcome, error, on_interrupted)
    return outcome


def _quietly(action):
    try:
        action()
    except BaseException:  # noqa: BLE001, S110 - a generator that fails to close is ended anyway
        pass


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
