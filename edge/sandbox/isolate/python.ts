/**
 * Main module of a Python snippet's isolate: the browser's own `PythonRuntime` and `adapter.py`,
 * booted from the compiled wasm module the parent handed over and from the snapshot and stdlib it
 * passes over RPC on the first run, with a counting interrupt as the work guard.
 */
import "./pyodide-env.ts";
import { WorkerEntrypoint } from "cloudflare:workers";
import { platformErrorResponse } from "../../../workers/http.ts";
import { PythonRuntime } from "../../../workers/python/runtime.ts";
import type { HandlerEnv, WireRequest } from "../../../workers/runtime-protocol.ts";
import { endingWhenDone } from "../../../workers/stream.ts";
import { envRedactor } from "../../env-redact.ts";
import { type IsolateRun, streamedRun } from "../stream-events.ts";
import { OneAtATime, WAIT_MS } from "./one-at-a-time.ts";
import { checkParentKey } from "./parent-key.ts";
import wasm from "./pyodide.asm.wasm";
import { bootPyodide } from "./pyodide-boot.ts";
import { redactRun } from "./redact-run.ts";
import { releaseBuffer, type SnapshotStream } from "./snapshot-stream.ts";
import snippet from "./snippet.py";

/**
 * The files Python boots from, asked of the parent (over RPC, an `RpcTarget` valid during the
 * call, each file handed out once) only when this isolate boots: the parent passes them only to
 * a run that answered `needsBootFiles`. They are not isolate modules: a module lives as long as
 * the isolate, and the snapshot (30 MB) is needed only once, to restore.
 */
export interface PythonBootFiles {
  /** `python_stdlib.zip` (Pyodide copies it into its in-memory file system). */
  stdlib(): Promise<ArrayBuffer>;
  /**
   * The memory snapshot made at build time, streamed (it is restored as it arrives, and an RPC
   * value may not exceed 32 MiB); none: Python boots the slow way.
   */
  snapshot(): Promise<SnapshotStream | undefined>;
}

/**
 * Interrupt-buffer reads a run may make before it is stopped. Pyodide reads the buffer every so
 * many bytecodes: ~56,000 reads a second of busy Python (measured in Node), so this is about 3.5 s
 * of work. Production also has `limits.cpuMs`.
 */
const MAX_INTERRUPT_READS = 200_000;

/** Locally workerd's clocks stand still in synchronous code, so work is counted instead (ARCHITECTURE.md). */
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
/** Calls that overlap take turns (`one-at-a-time.ts`). */
const turns = new OneAtATime();
/** The boot call's files, while that call is open. */
let bootFiles: PythonBootFiles | undefined;
const runtime = new PythonRuntime(async () => {
  if (!bootFiles) throw new Error("no boot files were passed");
  const [stdlib, snapshot] = await Promise.all([bootFiles.stdlib(), bootFiles.snapshot()]);
  const pyodide = await bootPyodide({ wasm, stdlib, snapshot });
  // Pyodide has its own copy in its file system now.
  releaseBuffer(stdlib);
  return pyodide;
});
runtime.setInterruptBuffer(budget);

/** The response of a run that asked for boot files: never sent (the parent calls again). */
const NO_RESPONSE = platformErrorResponse(503, "Python is not booted yet");

export default class PythonIsolate extends WorkerEntrypoint {
  /**
   * Runs the snippet's handler on one request, when `key` says the call is the parent's. Python not booted yet (or dropped: see
   * `PythonRuntime.booted`) and no `files`: answers `needsBootFiles` at once, having run nothing.
   * `env` comes per call, and its values never leave in an error (see `isolate/typescript.ts`).
   */
  async run(
    key: string,
    request: WireRequest,
    files: PythonBootFiles | undefined,
    env: HandlerEnv = {},
  ): Promise<IsolateRun> {
    checkParentKey(key);
    const started = performance.now();
    if (!runtime.booted && !files) {
      return { response: NO_RESPONSE, logs: [], durationMs: 0, needsBootFiles: true };
    }
    const done = await turns.turn();
    if (!done) {
      const response = platformErrorResponse(
        503,
        `Calls to this version take turns, and this one waited ${WAIT_MS / 1000} s for its turn behind earlier calls: retry`,
      );
      response.headers.push(["retry-after", "1"]);
      return { response, logs: [], durationMs: performance.now() - started };
    }
    try {
      bootFiles = files;
      budget.reset();
      const ran = await runtime.start(snippet, request, undefined, env);
      const { stream, ...result } = endingWhenDone(redactRun(ran, envRedactor(env)), done);
      return stream ? streamedRun(result, stream) : result;
    } catch (error) {
      done();
      const response = platformErrorResponse(502, `Python did not start: ${String(error)}`);
      return { response, logs: [], durationMs: performance.now() - started };
    } finally {
      bootFiles = undefined;
    }
  }
}
