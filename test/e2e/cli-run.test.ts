/**
 * `fnpad run` answers every shared fixture as the browser and the edge do (the same runtimes, in
 * Node), and says with its exit code when a handler failed or was stopped. Needs no server.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { fromBase64 } from "../../workers/bytes.ts";
import type { HeaderPair, LogEntry } from "../../workers/runtime-protocol.ts";
import {
  bodyBytes,
  type HandlerFixture,
  responseMismatches,
} from "../fixtures/handlers/fixtures.ts";
import { type CliOptions, fnpad, scratchDir, shown } from "./cli-process.ts";
import { loadFixtures } from "./snippet-page.ts";

const dir = scratchDir();
const options: CliOptions = { cwd: dir, env: { FNPAD_CONFIG_DIR: join(dir, "config") } };

interface RunJson {
  status: number;
  headers: HeaderPair[];
  body: { text: string } | { base64: string };
  logs: LogEntry[];
}

function fixtureFile(fixture: HandlerFixture): string {
  const extension = fixture.language === "python" ? "py" : "ts";
  return fileURLToPath(
    new URL(
      `../fixtures/handlers/${fixture.language}/${fixture.name}.${extension}`,
      import.meta.url,
    ),
  );
}

/** The fixture's request as `fnpad run` options. */
function runArgs(fixture: HandlerFixture): string[] {
  const { method, path, query, headers = [], body } = fixture.request;
  const args = [
    "run",
    fixtureFile(fixture),
    "--json",
    "-X",
    method,
    "--path",
    query ? `${path}?${query}` : path,
  ];
  for (const [name, value] of headers) args.push("-H", `${name}: ${value}`);
  for (const [name, value] of Object.entries(fixture.env ?? {}))
    args.push("--env", `${name}=${value}`);
  if (body !== undefined && method !== "GET" && method !== "HEAD") {
    const file = join(dir, `${fixture.language}-${fixture.name}.body`);
    writeFileSync(file, bodyBytes(body));
    args.push("-d", `@${file}`);
  }
  return args;
}

/** Runs `work` on every item, `limit` at a time: each Python run boots its own Pyodide. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  const workers = Array.from({ length: limit }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  });
  await Promise.all(workers);
}

describe("fnpad run", () => {
  test("answers every shared fixture", { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    await eachLimited(loadFixtures(), 2, async (fixture) => {
      const result = await fnpad(runArgs(fixture), options);
      const label = `${fixture.language}/${fixture.name}`;
      const handlerError = fixture.response.headers["x-fnpad-error"] === "handler";
      if (result.code !== (handlerError ? 6 : 0))
        return void problems.push(`${label}: ${shown(result)}`);
      const answer = JSON.parse(result.stdout) as RunJson;
      const body =
        "text" in answer.body
          ? new TextEncoder().encode(answer.body.text)
          : fromBase64(answer.body.base64);
      const mismatches = responseMismatches(fixture.response, { ...answer, body });
      const logs = answer.logs.map(({ stream, text }) => ({ stream, text }));
      if (fixture.logs && JSON.stringify(logs) !== JSON.stringify(fixture.logs))
        mismatches.push(`logs: ${JSON.stringify(logs)}`);
      problems.push(...mismatches.map((mismatch) => `${label}: ${mismatch}`));
    });
    assert.deepEqual(problems, []);
  });

  test("prints status line, headers and body; logs go to stderr", async () => {
    writeFileSync(
      join(dir, "teapot.py"),
      'def handler(request):\n    print("brewing")\n    return "short", 418, {"x-kind": "tea"}\n',
    );
    const result = await fnpad(["run", "teapot.py"], options);
    assert.equal(result.code, 0, shown(result));
    assert.equal(
      result.stdout,
      "HTTP 418 I'm a Teapot\ncontent-type: text/plain; charset=utf-8\nx-kind: tea\n\nshort",
    );
    assert.equal(result.stderr, "brewing\n");
  });

  test("a handler that leaves timers running: the command still ends once it has answered", {
    timeout: 60_000,
  }, async () => {
    writeFileSync(
      join(dir, "ticking.ts"),
      "export default () => {\n  setInterval(() => {}, 50);\n  setTimeout(() => {}, 3_600_000);\n  return 'answered';\n};\n",
    );
    // Before, the handler's interval kept Node's event loop, and the command, alive for ever.
    const result = await fnpad(["run", "ticking.ts"], options);
    assert.equal(result.code, 0, shown(result));
    assert.match(result.stdout, /\n\nanswered$/);
  });

  test("a handler that throws: its 500, the traceback on stderr, exit 6", async () => {
    writeFileSync(
      join(dir, "boom.ts"),
      "export default () => {\n  throw new RangeError('boom');\n};\n",
    );
    const result = await fnpad(["run", "boom.ts", "-X", "POST", "-d", "x"], options);
    assert.equal(result.code, 6, shown(result));
    assert.match(result.stdout, /^HTTP 500 Internal Server Error\n/);
    assert.match(result.stderr, /RangeError: boom/);
  });

  test("a runaway loop is stopped by its budget: 503, exit 7", async () => {
    writeFileSync(join(dir, "spin.py"), "def handler(request):\n    while True:\n        pass\n");
    const result = await fnpad(["run", "spin.py", "--timeout", "1000"], options);
    assert.equal(result.code, 7, shown(result));
    assert.match(result.stdout, /^HTTP 503 Service Unavailable\n/);
    assert.match(result.stderr, /stopped by its time or work budget/);
  });

  test("bad requests are usage errors: exit 1", async () => {
    writeFileSync(join(dir, "ok.ts"), "export default () => 'ok';\n");
    for (const args of [
      ["--path", "nope"],
      ["-H", "no colon"],
      ["-X", "GET", "-d", "x"],
      ["-d", "@missing"],
    ]) {
      const result = await fnpad(["run", "ok.ts", ...args], options);
      assert.equal(result.code, 1, `${args.join(" ")}: ${shown(result)}`);
    }
  });

  const olderNode = "/usr/bin/node";
  const version = (() => {
    try {
      return execFileSync(olderNode, ["--version"], { encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  })();
  test(`the bin hands over from an older Node (${version || "none here"})`, {
    skip: !/^v(1\d|20|21)\./.test(version),
  }, async () => {
    writeFileSync(
      join(dir, "old.ts"),
      "export default (req: Request) => new URL(req.url).search;\n",
    );
    const result = await fnpad(["run", "old.ts", "--path", "/?a=1"], {
      ...options,
      node: olderNode,
    });
    assert.equal(result.code, 0, shown(result));
    assert.match(result.stdout, /\n\n\?a=1$/);
  });

  test("an installed package (npm pack, then node_modules/fnpad) runs both languages", {
    timeout: 180_000,
  }, async () => {
    // Node strips no TypeScript under node_modules: the package carries the build `prepack` made.
    const packs = join(dir, "packs");
    mkdirSync(packs);
    const root = fileURLToPath(new URL("../../", import.meta.url));
    execFileSync("npm", ["pack", "--pack-destination", packs], { cwd: root, stdio: "ignore" });
    const [tarball] = readdirSync(packs);
    assert.ok(tarball, "npm pack made no tarball");
    const installed = join(dir, "installed");
    const home = join(installed, "node_modules", "fnpad");
    mkdirSync(home, { recursive: true });
    execFileSync("tar", ["xzf", join(packs, tarball), "-C", home, "--strip-components=1"]);
    assert.equal(existsSync(join(home, "cli", "main.ts")), false, "the package holds TypeScript");
    // Its one dependency the build leaves as an import, as npm would have installed it.
    symlinkSync(join(root, "node_modules", "pyodide"), join(installed, "node_modules", "pyodide"));
    writeFileSync(
      join(installed, "a.ts"),
      "export default (req: Request) => new URL(req.url).pathname;\n",
    );
    writeFileSync(
      join(installed, "a.py"),
      "def handler(request):\n    return 'py ' + request.path\n",
    );
    const bin = join(home, "cli", "bin.js");
    // The oldest Node it is for (20) when the machine has it, else this one.
    const node = /^v20\./.test(version) ? olderNode : process.execPath;
    for (const [file, expected] of [
      ["a.ts", "/ts"],
      ["a.py", "py /py"],
    ] as const) {
      const path = file === "a.ts" ? "/ts" : "/py";
      const stdout = execFileSync(node, [bin, "run", file, "--path", path], {
        cwd: installed,
        encoding: "utf8",
      });
      assert.match(stdout, new RegExp(`^HTTP 200 OK\n[^]*\n\n${expected}$`), stdout);
    }
  });
});
