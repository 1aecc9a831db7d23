"""The `workers` module of Cloudflare's Python Workers, as far as fnpad runs it.

Handlers written the way Cloudflare's examples write them (`from workers import Response,
WorkerEntrypoint`) run unchanged: `Response` (with `.json()` and `.redirect()`) is fnpad's,
`Request` is the request handlers receive, `fetch` goes out through Pyodide's fetch, and a
`class Default(WorkerEntrypoint)` gets `self.env` and `self.ctx`.
"""

import asyncio

from fnpad import Env, Request, Response

__all__ = ["Context", "Env", "Request", "Response", "WorkerEntrypoint", "fetch"]


class Context:
    """A handler's `ctx`: work passed to `wait_until` may finish, but the response does not wait."""

    def wait_until(self, awaitable):
        future = asyncio.ensure_future(awaitable)
        future.add_done_callback(lambda done: done.cancelled() or done.exception())

    waitUntil = wait_until

    def pass_through_on_exception(self):
        pass

    passThroughOnException = pass_through_on_exception


class WorkerEntrypoint:
    """Base of `class Default(WorkerEntrypoint)`; fnpad makes one per request."""

    def __init__(self, ctx=None, env=None):
        self.ctx = ctx if ctx is not None else Context()
        self.env = env if env is not None else Env()


async def fetch(url, **options):
    """An outgoing request (method=, headers=, body=), answered by Pyodide's `FetchResponse`
    (`.status`, `.headers`, `await .text()`, `await .json()`, `await .bytes()`)."""
    from pyodide.http import pyfetch  # imported on use: it holds JavaScript objects

    return await pyfetch(str(url), **options)
