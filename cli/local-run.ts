/**
 * `fnpad run`: the handler runs here, in Node, through the browser's own runtimes (Pyodide from
 * the npm package for Python; the TypeScript compiler, work guard and harness), so it answers as
 * in the browser and at the edge.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import * as nodeModule from "node:module";
import type { LanguageRuntime, LogEntry } from "../workers/runtime-protocol.ts";
import { type Context, option } from "./context.ts";
import { CliError, EXIT, type ExitCode, runExitCode } from "./exit.ts";
import { bodyForJson, formatResponseHead } from "./format.ts";
import { languageOf, readHandler } from "./remote.ts";
import { buildRunRequest, parseEnvEntry } from "./request.ts";

// The Python runtime imports `adapter.py` as text (Vite and wrangler do that for the other
// builds); this hook does the same for Node. The packaged build (`tools/build-cli.ts`) has the
// text inlined already, and may run on a Node without the hook API (before 22.15).
nodeModule.registerHooks?.({
  load(url, context, nextLoad) {
    if (!url.endsWith(".py")) return nextLoad(url, context);
    const source = `export default ${JSON.stringify(nextLoad(url, { ...context, format: "module" }).source?.toString())};`;
    return { format: "module", source, shortCircuit: true };
  },
});

async function runtimeFor(
  language: "python" | "typescript",
  deadline: () => number,
): Promise<LanguageRuntime> {
  if (language === "typescript") {
    const { TypeScriptRuntime } = await import("../workers/typescript/runtime.ts");
    const { compiledWith, importFromDataUrl } = await import("../workers/typescript/importers.ts");
    return new TypeScriptRuntime(compiledWith(importFromDataUrl));
  }
  const { PythonRuntime } = await import("../workers/python/runtime.ts");
  const { loadPyodide } = await import("pyodide");
  const runtime = new PythonRuntime(() => loadPyodide());
  // Pyodide reads index 0 every so many bytecodes; reading 2 past the deadline interrupts the
  // handler in place, as the browser's Stop does (a timer could not fire while Python spins).
  runtime.setInterruptBuffer(
    Object.defineProperty({ length: 1 }, 0, {
      get: () => (performance.now() > deadline() ? 2 : 0),
    }) as ArrayLike<number>,
  );
  return runtime;
}

async function requestBody(data: string | undefined): Promise<Uint8Array | undefined> {
  if (data === undefined) return undefined;
  if (!data.startsWith("@")) return new TextEncoder().encode(data);
  const file = data.slice(1);
  try {
    return new Uint8Array(file === "-" ? readFileSync(0) : await readFile(file));
  } catch (error) {
    throw new CliError(
      EXIT.usage,
      `Cannot read the body from ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

export function parseTimeout(value: string | undefined): number {
  const ms = Number(value ?? 5000);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new CliError(
      EXIT.usage,
      `--timeout must be milliseconds > 0, not ${JSON.stringify(value)}`,
    );
  return ms;
}

export async function run(context: Context): Promise<ExitCode> {
  const [file = ""] = context.invocation.positionals;
  const language = languageOf(file);
  const code = await readHandler(file);
  const headers = context.invocation.options.header;
  const request = buildRunRequest({
    method: option(context, "method"),
    path: option(context, "path"),
    headers: Array.isArray(headers) ? headers.map(String) : [],
    body: await requestBody(option(context, "data")),
  });
  const envEntries = context.invocation.options.env;
  const env = Object.fromEntries(
    (Array.isArray(envEntries) ? envEntries.map(String) : []).map(parseEnvEntry),
  );
  const budgetMs = parseTimeout(option(context, "timeout"));
  let deadline = Number.POSITIVE_INFINITY;
  const runtime = await runtimeFor(language, () => deadline);
  await runtime.load();
  const json = context.invocation.json;
  const onLog = (entry: LogEntry) => {
    if (!json) process.stderr.write(`${entry.text}\n`);
  };
  deadline = performance.now() + budgetMs;
  // An async handler that never settles would let Node exit with nothing said; the budget ends it.
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"expired">((resolve) => {
    timer = setTimeout(() => resolve("expired"), budgetMs + 100);
  });
  const outcome = await Promise.race([runtime.run(code, request, onLog, env), expired]);
  clearTimeout(timer);
  if (outcome === "expired") {
    context.note(`The run was stopped: it did not answer within ${budgetMs} ms`);
    if (json) process.stdout.write(`${JSON.stringify({ stopped: true })}\n`);
    return EXIT.stopped;
  }
  const exitCode = runExitCode(outcome);
  const stopped = exitCode === EXIT.stopped;
  const { response } = outcome;
  if (json) {
    const { status, headers: responseHeaders, body } = response;
    const data = {
      status,
      headers: responseHeaders,
      body: bodyForJson(body),
      logs: outcome.logs,
      durationMs: outcome.durationMs,
      error: outcome.error,
      stopped,
    };
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatResponseHead(response.status, response.headers)}\n\n`);
    process.stdout.write(response.body);
    // A prompt right after the body hides its end; a pipe gets the bytes exactly.
    if (process.stdout.isTTY && response.body.at(-1) !== 10) process.stdout.write("\n");
    if (outcome.error)
      process.stderr.write(
        `\n${outcome.error.traceback || `${outcome.error.type}: ${outcome.error.message}`}\n`,
      );
    if (stopped) context.note(`\nThe run was stopped by its time or work budget (${budgetMs} ms)`);
  }
  return exitCode;
}
