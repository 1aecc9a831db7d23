/**
 * Makes the Pyodide memory snapshot at build time, in workerd itself: a snapshot made by Node's
 * Pyodide does not restore in workerd (its boot takes other paths), so the snapshot isolate
 * (`isolate/python-snapshot.ts`) runs under the `workerd` binary wrangler ships, and its answer
 * is the snapshot. It is remade only when the bundle, the wasm or the stdlib change.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ISOLATE_COMPATIBILITY_DATE } from "../edge/sandbox/compat.ts";
import { freePort } from "./processes.ts";

const pyodideDir = fileURLToPath(new URL("../node_modules/pyodide/", import.meta.url));
const workerd = fileURLToPath(new URL("../node_modules/.bin/workerd", import.meta.url));

/** The files the snapshot worker boots Pyodide from (the isolates get the same ones). */
const PYODIDE_FILES = ["pyodide.asm.wasm", "python_stdlib.zip"];

function workerdConfig(port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "snapshot", worker = .snapshotWorker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "snapshot")],
);
const snapshotWorker :Workerd.Worker = (
  modules = [
    (name = "main.js", esModule = embed "main.js"),
    (name = "pyodide.asm.wasm", wasm = embed "pyodide.asm.wasm"),
    (name = "python_stdlib.zip", data = embed "python_stdlib.zip"),
  ],
  compatibilityDate = "${ISOLATE_COMPATIBILITY_DATE}",
);
`;
}

/** Runs the snapshot worker in workerd and returns its response body. */
async function runSnapshotWorker(mainModule: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "fnpad-snapshot-"));
  const port = await freePort();
  writeFileSync(join(dir, "main.js"), mainModule);
  // workerd embeds files relative to its config only.
  for (const file of PYODIDE_FILES) symlinkSync(join(pyodideDir, file), join(dir, file));
  writeFileSync(join(dir, "config.capnp"), workerdConfig(port));
  const child = spawn(workerd, ["serve", join(dir, "config.capnp")], { stdio: "inherit" });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  try {
    for (let attempt = 0; attempt < 150 && !exited; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(`http://127.0.0.1:${port}/`);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      const body = new Uint8Array(await response.arrayBuffer());
      if (!response.ok) throw new Error(`snapshot worker: ${new TextDecoder().decode(body)}`);
      return body;
    }
    throw new Error(exited ? "workerd exited early" : "workerd did not answer within 30 s");
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The snapshot made from `mainModule`, cached at `cache` (with a `.sha256` stamp of its inputs)
 * and remade only when those change.
 */
export async function snapshotFor(mainModule: string, cache: URL): Promise<Uint8Array> {
  const inputs = createHash("sha256").update(mainModule);
  for (const file of PYODIDE_FILES) {
    inputs.update(readFileSync(join(pyodideDir, file)));
  }
  const digest = inputs.digest("hex");
  const stamp = new URL(`${cache.href}.sha256`);
  if (existsSync(cache) && existsSync(stamp) && readFileSync(stamp, "utf8") === digest) {
    return readFileSync(cache);
  }
  const snapshot = await runSnapshotWorker(mainModule);
  writeFileSync(cache, snapshot);
  writeFileSync(stamp, digest);
  return snapshot;
}
