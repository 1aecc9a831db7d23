/**
 * `fnpad run FILE` runs a handler that may be anyone's (`pull` and `fork` write other people's
 * snippets to files). It ran in the CLI's own Node process, where the handler reached `process`
 * (TypeScript directly; Python as `js.process`, Pyodide's `js` being Node's global scope): it could
 * read the edit tokens in the config (`FNPAD_CONFIG_DIR/config.json`) or any file, write files and
 * start processes. Now it runs in a child Node under the permission model, with no environment:
 * each of those is refused, and the handler still answers.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const execFileAsync = promisify(execFile);
const TOKEN = "SECRET-EDIT-TOKEN-from-the-config";

let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fnpad-run-sandbox-"));
  await writeFile(
    join(dir, "config.json"),
    JSON.stringify({ tokens: { "http://localhost:8787 abc": TOKEN }, links: {} }),
    { mode: 0o600 },
  );
});

/** Runs `fnpad run FILE --json` with the config in `dir`; the handler's answer as JSON. */
async function runHandler(name: string, code: string): Promise<Record<string, string>> {
  const file = join(dir, name);
  await writeFile(file, code);
  const { stdout } = await execFileAsync(process.execPath, ["cli/bin.js", "run", file, "--json"], {
    env: { ...process.env, FNPAD_CONFIG_DIR: dir },
  }).catch((error: { stdout: string; stderr: string }) => {
    throw new Error(`fnpad run ${name} failed:\n${error.stdout}\n${error.stderr}`);
  });
  expect(stdout).not.toContain(TOKEN);
  const answer = JSON.parse(stdout) as { body: { text: string } };
  return JSON.parse(answer.body.text);
}

/** Each attempt's outcome: what it got, or "refused: <error code>". */
const HOSTILE_TS = (config: string, written: string) => `
const attempt = (work: () => unknown) => {
  try {
    return String(work());
  } catch (error) {
    return "refused: " + ((error as { code?: string }).code ?? error);
  }
};
export default () => {
  const process = (globalThis as any).process;
  const fs = process.getBuiltinModule("node:fs");
  return {
    env: JSON.stringify(process.env),
    readConfig: attempt(() => fs.readFileSync(${JSON.stringify(config)}, "utf8")),
    readEnvConfig: attempt(() => fs.readFileSync(process.env.FNPAD_CONFIG_DIR + "/config.json", "utf8")),
    write: attempt(() => fs.writeFileSync(${JSON.stringify(written)}, "pwned")),
    spawn: attempt(() => process.getBuiltinModule("node:child_process").execSync("id").toString()),
    worker: attempt(() => new (process.getBuiltinModule("node:worker_threads").Worker)("1", { eval: true })),
  };
};
`;

const HOSTILE_PY = (config: string, written: string) => `
import json
import js

def attempt(work):
    try:
        return str(work())
    except Exception as error:
        return "refused: " + str(getattr(getattr(error, "js_error", None), "code", None) or error)

def handler(request):
    fs = js.process.getBuiltinModule("node:fs")
    return json.dumps({
        "env": js.JSON.stringify(js.process.env),
        "readConfig": attempt(lambda: fs.readFileSync(${JSON.stringify(config)}, "utf8")),
        "write": attempt(lambda: fs.writeFileSync(${JSON.stringify(written)}, "pwned")),
        "spawn": attempt(lambda: js.process.getBuiltinModule("node:child_process").execSync("id").toString()),
    })
`;

describe("fnpad run of a hostile handler", () => {
  it("TypeScript: no config, no env, no file writes, no processes or workers", async () => {
    const written = join(dir, "written-by-ts");
    const outcome = await runHandler("pulled.ts", HOSTILE_TS(join(dir, "config.json"), written));
    expect(outcome.env).toBe("{}");
    expect(outcome.readConfig).toBe("refused: ERR_ACCESS_DENIED");
    expect(outcome.readEnvConfig).toMatch(/^refused: /);
    expect(outcome.write).toBe("refused: ERR_ACCESS_DENIED");
    expect(outcome.spawn).toBe("refused: ERR_ACCESS_DENIED");
    expect(outcome.worker).toBe("refused: ERR_ACCESS_DENIED");
    expect(existsSync(written)).toBe(false);
  });

  it("Python through js.process: no config, no env, no file writes, no processes", async () => {
    const written = join(dir, "written-by-py");
    const outcome = await runHandler("pulled.py", HOSTILE_PY(join(dir, "config.json"), written));
    expect(outcome.env).toBe("{}");
    expect(outcome.readConfig).toBe("refused: ERR_ACCESS_DENIED");
    expect(outcome.write).toBe("refused: ERR_ACCESS_DENIED");
    expect(outcome.spawn).toBe("refused: ERR_ACCESS_DENIED");
    expect(existsSync(written)).toBe(false);
  });
});
