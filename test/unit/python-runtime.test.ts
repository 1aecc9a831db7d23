/** The Python runtime beyond the fixtures: interrupts, logs, errors — on real Pyodide. */
import { loadPyodide } from "pyodide";
import { beforeAll, describe, expect, it } from "vitest";
import { STOPPED_STATUS } from "../../workers/http.ts";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { PythonRuntime } from "../../workers/python/runtime.ts";
import type { LogEntry } from "../../workers/runtime-protocol.ts";
import { getRequest, responseJson, responseText } from "./request.ts";

/** The edge's kind of interrupt buffer (it counts reads; clocks do not run in sync code): index 0 reads 2 once `budget` reads are used. */
function countingInterrupt(budget: number) {
  let reads = 0;
  return {
    length: 1,
    get 0() {
      reads += 1;
      return reads > budget ? 2 : 0;
    },
    // Pyodide writes 0 back after each read; the count must survive that.
    set 0(_value: number) {},
    reset() {
      reads = 0;
    },
  };
}

const runtime = new PythonRuntime(() => loadPyodide());
const interrupt = countingInterrupt(50_000);
beforeAll(async () => {
  runtime.setInterruptBuffer(interrupt);
  await runtime.load();
});

describe("runaway code", () => {
  it("stops `while True: pass` through the interrupt buffer, then runs normally", async () => {
    interrupt.reset();
    const stopped = await runtime.run(
      "def handler(request):\n    while True:\n        pass\n",
      getRequest(),
    );
    expect(stopped.response.status).toBe(STOPPED_STATUS);
    expect(new Headers(stopped.response.headers).get(ERROR_SOURCE_HEADER)).toBe("platform");
    expect(responseJson(stopped.response.body)).toMatchObject({
      error: { message: expect.stringMatching(/^stopped: /) },
      source: "platform",
    });
    expect(stopped.error).toBeUndefined();

    interrupt.reset();
    const next = await runtime.run('def handler(request):\n    return "alive"\n', getRequest());
    expect(next.response.status).toBe(200);
    expect(responseText(next.response.body)).toBe("alive");
  });

  it("cancels a run that awaits, which no interrupt reaches, and Python stays as it was", async () => {
    interrupt.reset();
    const code = [
      "import asyncio, sys",
      "",
      "async def handler(request):",
      "    sys.fnpad_awaited = getattr(sys, 'fnpad_awaited', 0) + 1",
      "    print('waiting')",
      "    await asyncio.sleep(30)",
      "    return 'woke'",
    ].join("\n");
    const started = performance.now();
    const run = runtime.run(code, getRequest());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await runtime.cancelRun()).toBe(true);
    const stopped = await run;
    // Nothing in flight now: nothing to cancel, and the caller is told so (it interrupts instead).
    expect(await runtime.cancelRun()).toBe(false);
    // Generous: without the cancel, the run ends with its 30 s sleep.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(stopped.response.status).toBe(STOPPED_STATUS);
    expect(stopped.logs.map((entry) => entry.text)).toEqual(["waiting"]);

    // The same interpreter answers the next run (the browser need not replace its worker).
    interrupt.reset();
    const next = await runtime.run(
      "import sys\n\ndef handler(request):\n    return str(sys.fnpad_awaited)\n",
      getRequest(),
    );
    expect(responseText(next.response.body)).toBe("1");
  });

  it("cancels a stream between its chunks, keeping what it sent", async () => {
    interrupt.reset();
    const code = [
      "import asyncio",
      "",
      "async def handler(request):",
      "    async def ticks():",
      "        while True:",
      "            yield 'tick\\n'",
      "            await asyncio.sleep(30)",
      "    return ticks()",
    ].join("\n");
    const chunks: string[] = [];
    let cancelled: Promise<boolean> | undefined;
    const result = await runtime.run(code, getRequest(), undefined, {}, (part) => {
      if (part.type === "chunk") chunks.push(new TextDecoder().decode(part.bytes));
      cancelled ??= new Promise((resolve) => setTimeout(resolve, 200)).then(() =>
        runtime.cancelRun(),
      );
    });
    expect(await cancelled).toBe(true);
    expect(chunks).toEqual(["tick\n"]);
    expect(result.response.status).toBe(STOPPED_STATUS);
  });

  it("stops a handler that catches KeyboardInterrupt and loops on", async () => {
    interrupt.reset();
    const code = [
      "def handler(request):",
      "    while True:",
      "        try:",
      "            while True:",
      "                pass",
      "        except KeyboardInterrupt:",
      "            pass",
    ].join("\n");
    expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
    interrupt.reset();
  });

  it.each([
    ["ignores SIGINT", "signal.signal(signal.SIGINT, signal.SIG_IGN)"],
    ["installs a SIGINT handler that returns", "signal.signal(signal.SIGINT, lambda *args: None)"],
    ["goes through _signal", "import _signal\n    _signal.signal(signal.SIGINT, signal.SIG_IGN)"],
    ["resets SIGINT to SIG_DFL", "signal.signal(signal.SIGINT, signal.SIG_DFL)"],
  ])("stops a handler that %s", async (_how, change) => {
    interrupt.reset();
    const code = `import signal\ndef handler(request):\n    ${change}\n    while True:\n        pass\n`;
    const stopped = await runtime.run(code, getRequest());
    expect(stopped.response.status).toBe(STOPPED_STATUS);
    expect(stopped.logs.map((entry) => entry.text).join("\n")).toContain("SIGINT");
    interrupt.reset();
    const next = await runtime.run(
      "import signal\ndef handler(request):\n    return signal.getsignal(signal.SIGINT) is signal.default_int_handler\n",
      getRequest(),
    );
    expect(responseText(next.response.body)).toBe("true");
    interrupt.reset();
  });

  it("still lets a handler set other signals' handlers", async () => {
    const code = [
      "import signal",
      "def handler(request):",
      "    previous = signal.signal(signal.SIGUSR1, signal.SIG_IGN)",
      "    signal.signal(signal.SIGUSR1, previous)",
      "    return 'ok'",
    ].join("\n");
    expect(responseText((await runtime.run(code, getRequest())).response.body)).toBe("ok");
  });

  it.each([
    ["for a buffer of its own", "pyodide_js.setInterruptBuffer(js.Int32Array.new(1))"],
    ["for none", "pyodide_js.setInterruptBuffer(None)"],
    [
      "in the Emscripten module",
      "pyodide_js._module.Py_EmscriptenSignalBuffer = js.Int32Array.new(1)",
    ],
    [
      "by clearing the flag in wasm memory",
      "m = pyodide_js._module\n        m.HEAP8[m._Py_EMSCRIPTEN_SIGNAL_HANDLING] = 0",
    ],
  ])(
    "stops a handler that swaps the interrupt buffer through pyodide_js %s",
    async (_how, swap) => {
      interrupt.reset();
      const code = [
        "import js, pyodide_js",
        "def handler(request):",
        "    try:",
        `        ${swap}`,
        "    except Exception:",
        "        pass",
        "    while True:",
        "        pass",
      ].join("\n");
      expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
      interrupt.reset();
    },
  );

  it("stops a loop at module level too", async () => {
    interrupt.reset();
    const stopped = await runtime.run("while True:\n    pass\n", getRequest());
    expect(stopped.response.status).toBe(STOPPED_STATUS);
    interrupt.reset();
  });
});

describe("logs", () => {
  it("keeps print and stderr output in order, apart, and streams each line as it comes", async () => {
    const streamed: LogEntry[] = [];
    const code = [
      "import sys",
      "def handler(request):",
      "    print('one')",
      "    print('two', file=sys.stderr)",
      "    sys.stdout.write('three\\nfour')",
      "    print('!')",
      "    return 'done'",
    ].join("\n");
    const result = await runtime.run(code, getRequest(), (entry) => streamed.push(entry));
    const lines = result.logs.map(({ stream, text }) => `${stream}:${text}`);
    expect(lines).toEqual(["stdout:one", "stderr:two", "stdout:three", "stdout:four!"]);
    expect(streamed).toEqual(result.logs);
    expect(responseText(result.response.body)).toBe("done");
  });

  it("keeps what was printed before an exception", async () => {
    const result = await runtime.run(
      "def handler(request):\n    print('before')\n    raise KeyError('k')\n",
      getRequest(),
    );
    expect(result.logs.map((entry) => entry.text)).toEqual(["before"]);
    expect(result.error).toMatchObject({ type: "KeyError", line: 3 });
  });
});

describe("errors in the user's code", () => {
  it("reports a syntax error with its line", async () => {
    const result = await runtime.run("def handler(request):\n    return (\n\n", getRequest());
    expect(result.response.status).toBe(500);
    expect(new Headers(result.response.headers).get(ERROR_SOURCE_HEADER)).toBe("handler");
    expect(result.error).toMatchObject({ type: "SyntaxError", line: 2 });
  });

  it("says so when no handler is defined", async () => {
    const result = await runtime.run("def main(request):\n    return 1\n", getRequest());
    expect(result.error).toMatchObject({
      type: "NameError",
      message: expect.stringContaining("handler(request)"),
    });
  });

  it("shows only the user's frames in the traceback", async () => {
    const result = await runtime.run(
      "def handler(request):\n    return request.json()\n",
      getRequest(),
    );
    expect(result.error?.type).toBe("JSONDecodeError");
    expect(result.error?.line).toBe(2);
    expect(result.error?.traceback).toContain('File "<handler>", line 2, in handler');
    expect(result.error?.traceback).not.toContain("adapter");
    expect(result.error?.traceback).not.toContain("json/decoder.py");
  });

  it("quotes the handler's line in a traceback after another run cleared the line cache", async () => {
    // The handler's source lines are split once per code now, and put back on every run.
    const code = [
      "import linecache",
      "def handler(request):",
      "    if request.query.get('clear'):",
      "        linecache.clearcache()",
      "        return 'cleared'",
      "    raise ValueError('boom')",
      "",
    ].join("\n");
    expect((await runtime.run(code, getRequest("/", "clear=1"))).error).toBeUndefined();
    const result = await runtime.run(code, getRequest());
    expect(result.error?.traceback).toContain("raise ValueError('boom')");
  });

  it("rejects a status outside 200–599 as the handler's error", async () => {
    const code =
      "from fnpad import Response\ndef handler(request):\n    return Response('x', status=99)\n";
    const result = await runtime.run(code, getRequest());
    expect(result.error).toMatchObject({ type: "ValueError", line: 3 });
  });

  it("rejects a return value it cannot send", async () => {
    const result = await runtime.run("def handler(request):\n    return object()\n", getRequest());
    expect(result.error).toMatchObject({
      type: "TypeError",
      message: "fnpad cannot send an object as a response body",
    });
  });

  it("explains a returned tuple whose second item is neither a status nor headers", async () => {
    const code = 'def handler(request):\n    return "x", "nope"\n';
    const result = await runtime.run(code, getRequest());
    expect(result.error).toMatchObject({ type: "TypeError" });
    expect(result.error?.message).toMatch(
      /^headers must be a dict or a list of \(name, value\) pairs, not a str \('nope'\)/,
    );
    expect(result.error?.message).toContain("(body, status, headers)");
  });
});

describe("request.cf", () => {
  it("is the platform's, read when the handler reads it: after an await, set by the handler, or made by hand", async () => {
    const code = [
      "import asyncio",
      "from fnpad import Request, Response",
      "async def handler(request):",
      "    await asyncio.sleep(0)",
      "    later = request.cf.country",
      "    request.cf = {'country': 'NL'}",
      "    made = Request('GET', 'https://x.test/', '/', '', [], b'', {'colo': 'AMS'})",
      "    return Response.json([later, request.cf.country, made.cf.colo, Request('GET', 'https://x.test/', '/', '', [], b'').cf])",
    ].join("\n");
    const ran = await runtime.run(code, { ...getRequest(), cf: { country: "DE" } });
    expect(responseJson(ran.response.body)).toEqual(["DE", "NL", "AMS", {}]);
  });
});

describe("handler cache", () => {
  it("runs module-level code once per code string", async () => {
    const code = "calls = []\ndef handler(request):\n    calls.append(1)\n    return len(calls)\n";
    await runtime.run(code, getRequest());
    const second = await runtime.run(code, getRequest());
    expect(responseJson(second.response.body)).toBe(2);
  });
});

describe("syntax check", () => {
  it("finds a syntax error's line and column without running anything", async () => {
    const problems = await runtime.checkSyntax('def handler(request):\n\n    return {"a": 1\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(3);
    expect(problems[0]?.column).toBeGreaterThan(1);
    expect(problems[0]?.message).toMatch(/never closed|unexpected EOF|invalid syntax/);
  });

  it("never runs the module: a loop at its top level does not hang the check", async () => {
    expect(await runtime.checkSyntax("while True:\n    pass\n")).toEqual([]);
  });

  it("answers nothing for code that compiles, also when running it would fail", async () => {
    expect(await runtime.checkSyntax("import nowhere_to_be_found\nraise SystemExit\n")).toEqual([]);
    expect(await runtime.checkSyntax('x = "\\d"\n')).toEqual([]);
  });

  it("reports what the compiler finds beyond the parser, and null bytes", async () => {
    const [outside] = await runtime.checkSyntax("x = 1\nreturn x\n");
    expect(outside).toMatchObject({ line: 2, message: "'return' outside function" });
    const [nul] = await runtime.checkSyntax("x = 1\0\n");
    expect(nul?.line).toBe(1);
  });

  it("leaves the next run alone", async () => {
    interrupt.reset();
    await runtime.checkSyntax("def handler(request:\n");
    const result = await runtime.run('def handler(request):\n    return "ok"\n', getRequest());
    expect(responseText(result.response.body)).toBe("ok");
  });
});

describe("what a run leaves behind", () => {
  it("cancels the tasks a run left pending before the next run: they print into no other run", async () => {
    const leaves = [
      "import asyncio",
      "async def tick():",
      "    while True:",
      '        print("left behind")',
      "        await asyncio.sleep(0.01)",
      "",
      "async def handler(request):",
      "    asyncio.ensure_future(tick())",
      '    return "first"',
      "",
    ].join("\n");
    expect(responseText((await runtime.run(leaves, getRequest())).response.body)).toBe("first");
    const waits = [
      "import asyncio",
      "async def handler(request):",
      "    await asyncio.sleep(0.1)",
      '    print("second")',
      '    return "second"',
      "",
    ].join("\n");
    const second = await runtime.run(waits, getRequest());
    expect(second.logs.map((entry) => entry.text)).toEqual(["second"]);
  });
});
