/**
 * `fnpad` against the real app: push a file in each language, call the endpoint, push a change,
 * pull it back byte for byte, fork, remove, and the errors a user meets on the way.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { LIMITS } from "../../workers/limits.ts";
import { type CliOptions, deadServerUrl, fnpad, follow, scratchDir, shown } from "./cli-process.ts";

const APP_URL = process.env.FNPAD_URL ?? "";
const dir = scratchDir();
const configDir = join(dir, "config", "fnpad");
const options: CliOptions = {
  cwd: dir,
  env: { FNPAD_CONFIG_DIR: configDir, FNPAD_SERVER: APP_URL },
};
const run = (...args: string[]) => fnpad(args, options);

/** Text that survives only an exact round trip: non-ASCII, CRLF, no final newline. */
const pythonV1 =
  'def handler(request):\r\n    return {"hello": request.query.get("name", "wörld 🐍"), "v": 1}';
const pythonV2 = pythonV1.replace('"v": 1', '"v": 2');
const typescript =
  "export default (req: Request): Response =>\n  Response.json({ path: new URL(req.url).pathname, lang: 'ts' });\n";

async function pushJson(file: string, ...extra: string[]) {
  const result = await run("push", file, "--json", ...extra);
  assert.equal(result.code, 0, shown(result));
  return JSON.parse(result.stdout) as {
    id: string;
    version: number;
    endpointUrl: string;
    shareUrl: string;
    curl: string;
  };
}

function config(): { tokens: Record<string, string>; links: Record<string, { id: string }> } {
  return JSON.parse(readFileSync(join(configDir, "config.json"), "utf8"));
}

describe("fnpad against the app", () => {
  let python: { id: string; endpointUrl: string };

  before(() => {
    writeFileSync(join(dir, "hello.py"), pythonV1);
    writeFileSync(join(dir, "hello.ts"), typescript);
  });

  test("push creates a snippet, prints its URLs and a curl line, and keeps the token private", async () => {
    const result = await run("push", "hello.py", "--title", "Hello");
    assert.equal(result.code, 0, shown(result));
    const id = /Created (\w+) “Hello” \(python\), version 1/.exec(result.stdout)?.[1];
    assert.ok(id, result.stdout);
    assert.match(result.stdout, new RegExp(`share: +${APP_URL}/s/${id}`));
    assert.match(result.stdout, new RegExp(`endpoint: +${APP_URL}/fn/${id}`));
    assert.match(result.stdout, new RegExp(`curl -s ${APP_URL}/fn/${id}/`));
    python = { id, endpointUrl: `${APP_URL}/fn/${id}` };
    assert.equal(statSync(join(configDir, "config.json")).mode & 0o777, 0o600);
    assert.equal(statSync(configDir).mode & 0o777, 0o700);
    assert.equal(config().links[join(dir, "hello.py")]?.id, id);
    assert.equal(Object.keys(config().tokens).length, 1);
    const answer = await fetch(`${python.endpointUrl}/?name=Ada`);
    assert.deepEqual(await answer.json(), { hello: "Ada", v: 1 });
  });

  test("push of a TypeScript file, --json for scripts", async () => {
    const created = await pushJson("hello.ts");
    assert.equal(created.version, 1);
    assert.equal(created.curl, `curl -s ${created.endpointUrl}/`);
    // The printed line, run as a user pastes it.
    const curled = execFileSync("sh", ["-c", created.curl], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(curled), { path: "/", lang: "ts" });
    const answer = await fetch(`${created.endpointUrl}/some/where`);
    assert.deepEqual(await answer.json(), { path: "/some/where", lang: "ts" });
  });

  test("pushing the changed file saves a new version; pull gives both back byte for byte", async () => {
    writeFileSync(join(dir, "hello.py"), pythonV2);
    const saved = await pushJson("hello.py");
    assert.deepEqual([saved.id, saved.version], [python.id, 2]);
    assert.deepEqual(await (await fetch(`${python.endpointUrl}/`)).json(), {
      hello: "wörld 🐍",
      v: 2,
    });
    const pulled = await run("pull", python.id, "copy.py");
    assert.equal(pulled.code, 0, shown(pulled));
    assert.deepEqual(readFileSync(join(dir, "copy.py")), Buffer.from(pythonV2));
    const first = await run("pull", `${python.id}@1`);
    assert.deepEqual(first.stdoutBytes, Buffer.from(pythonV1));
    const versions = await run("versions", python.id, "--json");
    assert.deepEqual(
      JSON.parse(versions.stdout).map((entry: { version: number }) => entry.version),
      [2, 1],
    );
    assert.match((await run("versions", python.id)).stdout, /@2 .*latest\n +@1 /);
  });

  test("pull does not overwrite a file with other content unless --force", async () => {
    const refused = await run("pull", `${python.id}@1`, "copy.py");
    assert.equal(refused.code, 1, shown(refused));
    assert.match(refused.stderr, /exists with other content; pass --force/);
    assert.equal((await run("pull", `${python.id}@1`, "copy.py", "--force")).code, 0);
    assert.deepEqual(readFileSync(join(dir, "copy.py")), Buffer.from(pythonV1));
  });

  test("fork into a file, then push it as the fork's next version; rm removes it", async () => {
    const forked = await run("fork", `${python.id}@1`, "mine.py", "--json");
    assert.equal(forked.code, 0, shown(forked));
    const fork = JSON.parse(forked.stdout) as { id: string; forkedFrom: string };
    assert.notEqual(fork.id, python.id);
    assert.deepEqual(readFileSync(join(dir, "mine.py")), Buffer.from(pythonV1));
    writeFileSync(join(dir, "mine.py"), 'def handler(request):\n    return "mine"\n');
    const saved = await pushJson("mine.py");
    assert.deepEqual([saved.id, saved.version], [fork.id, 2]);
    assert.equal(await (await fetch(`${APP_URL}/fn/${fork.id}/`)).text(), "mine");
    const removed = await run("rm", fork.id);
    assert.equal(removed.code, 0, shown(removed));
    assert.equal((await fetch(`${APP_URL}/fn/${fork.id}/`)).status, 404);
    assert.equal(config().links[join(dir, "mine.py")], undefined);
    const gone = await run("pull", fork.id);
    assert.equal(gone.code, 2, shown(gone));
    assert.match(gone.stderr, /was deleted \(410 gone\)/);
  });

  test("logs: each call with what it printed; --follow shows a call as it comes", async () => {
    writeFileSync(
      join(dir, "printer.py"),
      'def handler(request):\n    print("seen", request.path)\n    return "ok"\n',
    );
    const printer = await pushJson("printer.py");
    assert.equal((await fetch(`${printer.endpointUrl}/logged`)).status, 200);
    // The call is recorded after its response has gone out: give the log a moment.
    let listed = await run("logs", printer.id);
    for (let tries = 0; tries < 20 && !/\/logged/.test(listed.stdout); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      listed = await run("logs", printer.id);
    }
    assert.equal(listed.code, 0, shown(listed));
    assert.match(
      listed.stdout,
      /@1 {2}GET \/logged {2}200 {2}\d+ ms\n {4}\| seen \/logged\n/,
      shown(listed),
    );

    const following = follow(["logs", printer.id, "--follow"], options);
    try {
      await following.waitFor(/GET \/logged/, 10_000);
      assert.equal((await fetch(`${printer.endpointUrl}/followed?n=1`)).status, 200);
      const seen = await following.waitFor(/GET \/followed\?n=1 {2}200/, 15_000);
      assert.match(seen, /\| seen \/followed\n/);
    } finally {
      await following.stop();
    }
    const stranger = await fnpad(["logs", printer.id], {
      ...options,
      env: { ...options.env, FNPAD_CONFIG_DIR: join(dir, "no-config") },
    });
    assert.equal(stranger.code, 3, shown(stranger));
    assert.match(stranger.stderr, /only the snippet's owner reads its calls/);
  });
});

describe("fnpad errors", () => {
  test("no server: exit 5 with what to do", async () => {
    const dead = await deadServerUrl();
    const result = await fnpad(["versions", "k3xq7m2pwt9e", "--server", dead], options);
    assert.equal(result.code, 5, shown(result));
    const expected = `Cannot reach the fnpad server at ${dead} (ECONNREFUSED). Is it running`;
    assert.ok(result.stderr.includes(expected), shown(result));
  });

  test("wrong token: exit 3; no token: exit 3", async () => {
    const { id } = await pushJson("hello.ts", "--new");
    const file = join(configDir, "config.json");
    const saved = readFileSync(file, "utf8");
    const key = Object.keys(config().tokens).find((name) => name.endsWith(` ${id}`)) ?? "";
    writeFileSync(
      file,
      JSON.stringify({ ...config(), tokens: { ...config().tokens, [key]: "wrong" } }),
    );
    const wrong = await run("push", "hello.ts");
    assert.equal(wrong.code, 3, shown(wrong));
    assert.match(wrong.stderr, /edit token does not match/);
    writeFileSync(file, saved);
    const foreign = await fnpad(["rm", id], {
      ...options,
      env: { ...options.env, FNPAD_CONFIG_DIR: join(dir, "empty") },
    });
    assert.equal(foreign.code, 3, shown(foreign));
    assert.match(foreign.stderr, /No edit token for/);
  });

  test("a file over the size limit is refused before sending: exit 4", async () => {
    writeFileSync(join(dir, "big.py"), `# ${"x".repeat(LIMITS.codeBytes)}\n`);
    const result = await run("push", "big.py", "--server", await deadServerUrl());
    assert.equal(result.code, 4, shown(result));
    assert.match(
      result.stderr,
      new RegExp(
        `big\\.py is ${LIMITS.codeBytes + 3} bytes; a snippet may have at most ${LIMITS.codeBytes}`,
      ),
    );
  });

  test("TypeScript that does not compile: exit 4 with its line; nothing is stored", async () => {
    writeFileSync(join(dir, "broken.ts"), "const a = 1;\nconst b = ;\nexport default () => a;\n");
    const result = await run("push", "broken.ts");
    assert.equal(result.code, 4, shown(result));
    assert.match(result.stderr, /Line 2:11: Unexpected token \(422 compile_error\)/);
    assert.equal(config().links[join(dir, "broken.ts")], undefined);
  });

  test("Python that does not compile (only Python's parser sees it): exit 4 with its line", async () => {
    writeFileSync(
      join(dir, "broken.py"),
      "def handler(request):\n    total = = 1\n    return total\n",
    );
    const result = await run("push", "broken.py");
    assert.equal(result.code, 4, shown(result));
    assert.match(result.stderr, /Line 2:\d+: SyntaxError: invalid syntax \(422 syntax_error\)/);
    assert.equal(config().links[join(dir, "broken.py")], undefined);
  });

  test("unknown snippet: exit 2; bad arguments and unknown extensions: exit 1", async () => {
    const missing = await run("pull", "NoSuchId00");
    assert.equal(missing.code, 2, shown(missing));
    assert.match(missing.stderr, /No snippet with id "NoSuchId00" \(404 not_found\)/);
    for (const args of [
      ["push"],
      ["push", "a.rb"],
      ["pull", "x@0"],
      ["push", "hello.py", "--bogus"],
      ["nope"],
    ]) {
      const result = await run(...args);
      assert.equal(result.code, 1, `${args.join(" ")}: ${shown(result)}`);
      assert.match(result.stderr, /^fnpad: /);
    }
  });
});
