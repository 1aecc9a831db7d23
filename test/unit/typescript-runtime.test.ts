/** The TypeScript runtime beyond the fixtures: the work guard, logs, errors. */
import { describe, expect, it } from "vitest";
import { STOPPED_STATUS } from "../../workers/http.ts";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { compiledWith, importFromDataUrl } from "../../workers/typescript/importers.ts";
import { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";
import { getRequest, responseJson, responseText } from "./request.ts";

const runtime = new TypeScriptRuntime(compiledWith(importFromDataUrl), { maxTicks: 1_000_000 });

/** Runs `body`, then puts back the `Error.prepareStackTrace` a handler replaced for the whole process. */
async function withPrepareStackTraceRestored<T>(body: () => Promise<T>): Promise<T> {
  const saved = Error.prepareStackTrace;
  try {
    return await body();
  } finally {
    Error.prepareStackTrace = saved;
  }
}

describe("runaway code", () => {
  it("a module stopped while it loads stays stopped, whatever its top level throws after", async () => {
    // The top level spins, catches the budget's error and throws another: the module registry
    // keeps that error, so without a memory of the stop the next call would answer a 500.
    const code =
      "let n = 0;\ntry { while (true) n++; } catch { throw new TypeError('caught and replaced'); }\nexport default () => 'never';\n";
    for (let call = 0; call < 2; call += 1) {
      const ran = await runtime.run(code, getRequest());
      expect(ran.response.status).toBe(STOPPED_STATUS);
    }
  });

  it("stops `while(true){}` with the work guard, then runs normally", async () => {
    const stopped = await runtime.run(
      "export default () => {\n  while (true) {}\n};",
      getRequest(),
    );
    expect(stopped.response.status).toBe(STOPPED_STATUS);
    expect(new Headers(stopped.response.headers).get(ERROR_SOURCE_HEADER)).toBe("platform");
    expect(responseJson(stopped.response.body)).toMatchObject({
      error: { message: "stopped: work budget exceeded" },
    });

    const next = await runtime.run("export default () => 'alive';", getRequest());
    expect(responseText(next.response.body)).toBe("alive");
  });

  it("stops a loop whose body swallows the guard's error", async () => {
    const code = "export default () => {\n  for (;;) try { JSON.parse('{'); } catch {}\n};";
    const result = await runtime.run(code, getRequest());
    expect(result.response.status).toBe(STOPPED_STATUS);
  });

  it("stops a handler that catches the guard's error and returns", async () => {
    const code =
      "export default () => {\n  try { do {} while (true); } catch { return 'escaped'; }\n};";
    const result = await runtime.run(code, getRequest());
    expect(result.response.status).toBe(STOPPED_STATUS);
  });

  it("stops a loop at module level, without caching the module", async () => {
    const code = "let n = 0;\nwhile (true) n++;\nexport default () => n;";
    expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
    expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
  });

  it("stops exponential recursion (`fib(60)`), which runs no loop", async () => {
    const code = [
      "function fib(n: number): number {",
      "  return n < 2 ? n : fib(n - 1) + fib(n - 2);",
      "}",
      "export default () => String(fib(60));",
    ].join("\n");
    expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
    expect(
      responseText(
        (await runtime.run("export default () => 'alive';", getRequest())).response.body,
      ),
    ).toBe("alive");
  });

  it.each([
    [
      "an expression-bodied arrow",
      "const f = (n: number): number => (n < 2 ? n : f(n - 1) + f(n - 2));\nconst run = () => f(60);",
    ],
    [
      "a method that retries in its catch",
      "class W {\n  go(): number { try { return this.go(); } catch { return this.go(); } }\n}\nconst run = () => new W().go();",
    ],
    [
      "a getter that retries in its catch",
      "const o = {\n  get deep(): number { try { return o.deep; } catch { return o.deep; } },\n};\nconst run = () => o.deep;",
    ],
    [
      "a setter",
      "const o = {\n  set v(n: number) { if (n > 0) { o.v = n - 1; o.v = n - 1; } },\n};\nconst run = () => { o.v = 60; };",
    ],
    [
      "a constructor",
      "class N {\n  constructor(d: number) { if (d > 0) { new N(d - 1); new N(d - 1); } }\n}\nconst run = () => new N(60);",
    ],
    [
      "a loop that catches a stack overflow each time round",
      "const down = (): number => down();\nconst run = () => { for (;;) { try { down(); } catch {} } };",
    ],
  ])("stops runaway work in %s", async (_form, code) => {
    const result = await runtime.run(`${code}\nexport default () => String(run());`, getRequest());
    expect(result.response.status).toBe(STOPPED_STATUS);
  });

  it("stops recursion that swallows the guard's error at every level", async () => {
    const code = [
      "function dig(n: number): number {",
      "  try { return dig(n + 1); } catch { return dig(n + 1); }",
      "}",
      "export default () => { try { return dig(0); } catch { return 'escaped'; } };",
    ].join("\n");
    expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
  });

  it.each([
    ["awaited", "const spin = (): Promise<void> => Promise.resolve().then(spin);", "await spin();"],
    [
      "restarted by its own .catch",
      "const spin = (): Promise<unknown> => Promise.resolve().then(spin).catch(spin);",
      "await spin();",
    ],
    [
      "of async functions that catch",
      "async function spin(): Promise<void> { try { await null; await spin(); } catch { await spin(); } }",
      "await spin();",
    ],
  ])(
    "stops a microtask chain (%s), which never returns to the event loop",
    async (_kind, spin, call) => {
      const code = `${spin}\nexport default async () => {\n  ${call}\n  return 'done';\n};`;
      expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
      expect(
        responseText(
          (await runtime.run("export default () => 'alive';", getRequest())).response.body,
        ),
      ).toBe("alive");
    },
  );

  it("ends a microtask chain the handler did not wait for", async () => {
    const code =
      "const spin = (): Promise<void> => Promise.resolve().then(spin);\nexport default () => { spin().catch(Object); return 'answered'; };";
    // `.catch(Object)`: a native callback takes the final rejection; one of the user's would be
    // stopped by the spent budget too (and leave the rejection unhandled).
    const result = await runtime.run(code, getRequest());
    // The answer was made before the chain ran out of budget; the chain still ends.
    expect(result.response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(
      responseText(
        (await runtime.run("export default () => 'alive';", getRequest())).response.body,
      ),
    ).toBe("alive");
  });

  it("counts a microtask chain's turns in full after the handler replaced `queueMicrotask`", async () => {
    // The guard queued its end-of-turn marker through the global: replaced by one that queues
    // nothing, the turn never ended and each further turn counted as one tick, not 400.
    const code = [
      "let turns = 0;",
      "export default async (req: Request) => {",
      '  if (new URL(req.url).pathname === "/turns") return String(turns);',
      "  globalThis.queueMicrotask = () => {};",
      "  const spin = (): Promise<void> => { turns++; return Promise.resolve().then(spin); };",
      "  await spin();",
      "};",
    ].join("\n");
    const saved = globalThis.queueMicrotask;
    try {
      expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
    } finally {
      globalThis.queueMicrotask = saved;
    }
    const turns = Number(
      responseText((await runtime.run(code, getRequest("/turns"))).response.body),
    );
    // 1,000,000 ticks at 400 and 1 a turn: about 2,500 turns, not about 1,000,000.
    expect(turns).toBeGreaterThan(1_000);
    expect(turns).toBeLessThan(5_000);
  });

  it("stops a handler whose error cannot be described without running away", async () => {
    const code =
      "(Error as any).prepareStackTrace = () => { for (;;) {} };\nexport default () => { throw new Error('x'); };";
    const result = await withPrepareStackTraceRestored(() => runtime.run(code, getRequest()));
    expect(result.response.status).toBe(STOPPED_STATUS);
  });

  it("gives every run a fresh budget", async () => {
    const code =
      "export default () => {\n  let sum = 0;\n  for (let i = 0; i < 600_000; i++) sum += i;\n  return sum;\n};";
    for (let run = 0; run < 3; run++) {
      expect((await runtime.run(code, getRequest())).response.status).toBe(200);
    }
  });
});

describe("logs", () => {
  it("keeps console output in order, stderr apart, formatted like a console, and only the run's", async () => {
    const code = [
      "export default () => {",
      "  console.log('one', 2, { three: [3] });",
      "  console.error(new Map([['k', 1]]));",
      "  console.warn('careful');",
      "  console.debug(null, undefined, true);",
      "  return 'done';",
      "};",
    ].join("\n");
    const streamed: string[] = [];
    const result = await runtime.run(code, getRequest(), (entry) => streamed.push(entry.text));
    expect(result.logs.map(({ stream, text }) => `${stream}:${text}`)).toEqual([
      "stdout:one 2 { three: [ 3 ] }",
      "stderr:Map(1) { 'k' => 1 }",
      "stderr:careful",
      "stdout:null undefined true",
    ]);
    expect(streamed).toEqual(result.logs.map((entry) => entry.text));
    console.log("printed after the run");
    expect(result.logs).toHaveLength(4);
  });
});

describe("errors in the user's code", () => {
  it("reports a compile error with its line", async () => {
    const result = await runtime.run(
      "const a = 1;\nconst b = ;\nexport default () => a;",
      getRequest(),
    );
    expect(result.response.status).toBe(500);
    expect(new Headers(result.response.headers).get(ERROR_SOURCE_HEADER)).toBe("handler");
    expect(result.error).toMatchObject({ type: "SyntaxError", line: 2 });
  });

  it("reports a thrown non-Error value", async () => {
    const result = await runtime.run("export default () => { throw 'plain'; };", getRequest());
    expect(result.error).toMatchObject({ type: "Error", message: "uncaught plain" });
  });

  it("explains a module without a handler", async () => {
    const result = await runtime.run("export const x = 1;", getRequest());
    expect(result.error).toMatchObject({
      type: "TypeError",
      message: expect.stringContaining("export default"),
    });
  });

  it("keeps every frame of a stack trace on the user's lines", async () => {
    const code = [
      "function inner(): never {",
      "  throw new Error('deep');",
      "}",
      "const outer = () => inner();",
      "class Caller { get value(): never { return outer(); } }",
      "export default () => {",
      "  return new Caller().value;",
      "};",
    ].join("\n");
    const result = await runtime.run(code, getRequest());
    expect(result.error).toMatchObject({ type: "Error", message: "deep", line: 2 });
    const lines = [...(result.error?.traceback ?? "").matchAll(/handler\.ts:(\d+):\d+/g)];
    expect(lines.map((match) => Number(match[1]))).toEqual([2, 4, 5, 7]);
  });

  it("answers a 500 when describing the handler's error throws", async () => {
    const code =
      "(Error as any).prepareStackTrace = () => { throw new TypeError('nope'); };\nexport default () => { throw new Error('x'); };";
    const result = await withPrepareStackTraceRestored(() => runtime.run(code, getRequest()));
    expect(result.response.status).toBe(500);
    expect(result.error).toMatchObject({ type: "Error" });
  });

  it("maps a rejected async handler to its line", async () => {
    const code = "export default async () => {\n  await null;\n  throw new Error('late');\n};";
    const result = await runtime.run(code, getRequest());
    expect(result.error).toMatchObject({ type: "Error", message: "late", line: 3 });
  });
});
