"""The handler forms fnpad accepts (module `_fnpad_forms`), and the errors that teach them.

`def handler(request)` is fnpad's own form; `on_fetch(request, env, ctx)` and
`class Default(WorkerEntrypoint)` with `async def fetch(self, request)` are Cloudflare's Python
Workers forms, so that handlers written from their examples run unchanged.
"""

import inspect

from workers import Context, Env

ACCEPTED_FORMS = """fnpad runs one of these (sync or async):
    def handler(request): ...
    async def on_fetch(request, env): ...
    class Default(WorkerEntrypoint):
        async def fetch(self, request): ..."""

ONE_ARGUMENT = """fnpad calls handler(request) with the request only, and sends what it returns:
    def handler(request):
        return Response("hello", status=200)      # or a str, dict, bytes, (body, status)"""


class HandlerFormError(TypeError):
    """A handler whose form fnpad cannot call."""


def _positional(function):
    """How many positional parameters `function` takes: (required, most; None when unbounded)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return 0, None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    positional = [p for p in parameters if p.kind in kinds]
    required = sum(1 for p in positional if p.default is inspect.Parameter.empty)
    unbounded = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters)
    return required, None if unbounded else len(positional)


def _call_with(function, arguments, name):
    """Calls `function` with as many of `arguments` as it takes (on_fetch may omit env, ctx)."""
    required, most = _positional(function)
    if required > len(arguments):
        raise HandlerFormError(f"{name} takes {required} arguments; fnpad passes {len(arguments)}")
    count = len(arguments) if most is None else min(most, len(arguments))
    return function(*arguments[:count])


def _handler_entry(handler):
    required, _ = _positional(handler)
    if required > 1:
        # An Express-style `handler(req, res)`, or a Workers-style `handler(request, env)`.
        raise HandlerFormError(ONE_ARGUMENT)
    return handler


def _on_fetch_entry(on_fetch):
    # The run's env (`request.env`, a fresh dict every run), with attribute access too.
    return lambda request: _call_with(on_fetch, (request, Env(request.env), Context()), "on_fetch")


def _default_entry(default):
    if not callable(getattr(default, "fetch", None)):
        raise HandlerFormError(f"class Default needs a fetch(self, request) method\n{ACCEPTED_FORMS}")

    def call(request):
        # One instance per request, as the Workers runtime makes it: state lives in the module.
        return default(Context(), Env(request.env)).fetch(request)

    return call


def find_entry(namespace):
    """A callable taking the request, for the first accepted form `namespace` defines."""
    handler = namespace.get("handler")
    if callable(handler):
        return _handler_entry(handler)
    on_fetch = namespace.get("on_fetch")
    if callable(on_fetch):
        return _on_fetch_entry(on_fetch)
    default = namespace.get("Default")
    if isinstance(default, type):
        return _default_entry(default)
    raise NameError(f"no handler found. {ACCEPTED_FORMS}")
