/**
 * Main module of a Python snippet's isolate: the browser's own `PythonRuntime` and `adapter.py`,
 * booted from the modules the parent handed over, with a counting interrupt as the work guard.
 */
import "./pyodide-env.ts";
import { WorkerEntrypoint } from "cloudflare:workers";
import { platformErrorResponse } from "../../../workers/http.ts";
import type { HandlerEnv, RunResult, WireRequest } from "../../../workers/protocol.ts";
import { PythonRuntime } from "../../../workers/python/runtime.ts";
import wasm from "./pyodide.asm.wasm";
import { bootPyodide } from "./pyodide-boot.ts";
import stdlib from "./python_stdlib.zip";
import snapshot from "./python-snapshot.bin";
import snippet from "./snippet.py";

/**
 * Interrupt-buffer reads a run may make before it is stopped. Pyodide reads the buffer every so
 * many bytecodes: ~56,000 reads a second of busy Python (measured in Node), so this is about 3.5 s
 * of work. Production also has `limits.cpuMs`.
 */
const MAX_INTERRUPT_READS = 200_000;

/** DESIGN.md §5: workerd's clocks stand still in synchronous code, so work is counted instead. */
class WorkBudget implements ArrayLike<number> {
  readonly length = 1;
  #reads = 0;
  [index: number]: number;

  constructor() {
    Object.defineProperty(this, 0, {
      get: () => (++this.#reads > MAX_INTERRUPT_READS ? 2 : 0),
      // Pyodide writes 0 back after each read; the count must survive that.
      set: () => {},
    });
  }

  reset(): void {
    this.#reads = 0;
  }
}

const budget = new WorkBudget();
const runtime = new PythonRuntime(() =>
  bootPyodide({ wasm, stdlib, snapshot: snapshot.byteLength > 0 ? snapshot : undefined }),
);
runtime.setInterruptBuffer(budget);

export default class PythonIsolate extends WorkerEntrypoint {
  /** Runs the snippet's handler on one request; `env` comes per call (see `isolate/typescript.ts`). */
  async run(request: WireRequest, env: HandlerEnv = {}): Promise<RunResult> {
    const started = performance.now();
    try {
      budget.reset();
      return await runtime.run(snippet, request, undefined, env);
    } catch (error) {
      const response = platformErrorResponse(502, `Python did not start: ${String(error)}`);
      return { response, logs: [], durationMs: performance.now() - started };
    }
  }
}
