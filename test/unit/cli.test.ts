/** The CLI's pure parts: command lines → requests, API errors → exit codes, and what it prints. */
import { chmod, mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeApiError } from "../../cli/api.ts";
import { DEFAULT_SERVER, parseCommandLine, snippetRefArgument } from "../../cli/commands.ts";
import { type Config, configDir, loadConfig, saveConfig } from "../../cli/config.ts";
import { CliError, EXIT, exitCodeForStatus, runExitCode } from "../../cli/exit.ts";
import {
  bodyForJson,
  curlLine,
  formatCall,
  formatResponseHead,
  formatSnippet,
  formatVersions,
} from "../../cli/format.ts";
import { buildRunRequest, parseHeader } from "../../cli/request.ts";
import { handlerErrorResponse, jsonWireResponse, stoppedResponse } from "../../workers/http.ts";

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
}

describe("command lines", () => {
  it("parses a command, its options, the server and --json", () => {
    const parsed = parseCommandLine(["push", "a.py", "--title", "Hi", "--json"], {});
    expect(parsed).toMatchObject({
      command: "push",
      positionals: ["a.py"],
      server: DEFAULT_SERVER,
      json: true,
    });
    expect(parsed).toHaveProperty("options.title", "Hi");
  });

  it("takes the server from --server, then FNPAD_SERVER", () => {
    const env = { FNPAD_SERVER: "http://env:1" };
    expect(parseCommandLine(["versions", "x"], env)).toHaveProperty("server", "http://env:1");
    expect(parseCommandLine(["versions", "x", "--server", "http://flag:2"], env)).toHaveProperty(
      "server",
      "http://flag:2",
    );
  });

  it("repeats -H and gives help for every command", () => {
    const parsed = parseCommandLine(["run", "h.ts", "-H", "a: 1", "-H", "b: 2", "-X", "PUT"], {});
    expect(parsed).toHaveProperty("options.header", ["a: 1", "b: 2"]);
    for (const command of ["push", "pull", "versions", "fork", "rm", "logs", "run"]) {
      const help = parseCommandLine([command, "--help"], {});
      expect(help).toHaveProperty(
        "help",
        expect.stringMatching(new RegExp(`^Usage: fnpad ${command} `)),
      );
    }
    expect(parseCommandLine([], {})).toHaveProperty("help", expect.stringContaining("Exit codes"));
  });

  it("refuses unknown commands and options, and wrong argument counts", () => {
    expect(usageError(() => parseCommandLine(["deploy"], {}))).toMatch(/Unknown command "deploy"/);
    expect(usageError(() => parseCommandLine(["pull", "x", "--bogus"], {}))).toMatch(
      /Unknown option '--bogus'/,
    );
    expect(usageError(() => parseCommandLine(["rm"], {}))).toMatch(/takes 1 argument/);
    expect(usageError(() => parseCommandLine(["pull", "a", "b", "c"], {}))).toMatch(
      /takes 1 to 2 arguments/,
    );
  });

  it("reads ID and ID@N", () => {
    expect(snippetRefArgument("x7Kq2LmP0a")).toEqual({ id: "x7Kq2LmP0a", version: null });
    expect(snippetRefArgument("k3xq7m2pwt9e@3")).toEqual({ id: "k3xq7m2pwt9e", version: 3 });
    // The same format as the API's and the endpoints': an id the server would refuse never leaves.
    for (const bad of ["x@0", "x@", "@3", "a/b", "", "abc", "k3xq7m2pwt9e@03", "k3xq7m2pwt9e@1e3"])
      usageError(() => snippetRefArgument(bad));
  });
});

describe("run's request", () => {
  it("maps options to the request a handler gets", () => {
    const body = new TextEncoder().encode('{"n":1}');
    const request = buildRunRequest({
      path: "/items/7?a=1&a=2#top",
      headers: ["Content-Type: application/json"],
      body,
    });
    expect(request).toEqual({
      method: "POST",
      url: "http://localhost:8787/fn/local/items/7?a=1&a=2",
      path: "/items/7",
      query: "a=1&a=2",
      headers: [["content-type", "application/json"]],
      body,
    });
    expect(buildRunRequest({}, "https://x.test/fn/y")).toMatchObject({
      method: "GET",
      url: "https://x.test/fn/y/",
      path: "/",
      query: "",
    });
    expect(buildRunRequest({ method: "delete" }).method).toBe("DELETE");
  });

  it("refuses what no endpoint could get", () => {
    expect(usageError(() => buildRunRequest({ path: "hello" }))).toMatch(/must start with \//);
    expect(usageError(() => buildRunRequest({ method: "GET", body: new Uint8Array([1]) }))).toMatch(
      /GET request has no body/,
    );
    expect(usageError(() => buildRunRequest({ method: "BAD METHOD" }))).toMatch(
      /not an HTTP method/,
    );
    expect(usageError(() => parseHeader("no colon"))).toMatch(/'Name: value'/);
    expect(parseHeader("X-Empty:")).toEqual(["x-empty", ""]);
  });
});

describe("exit codes", () => {
  it("maps API statuses", () => {
    expect([404, 410, 401, 403, 400, 413, 422, 500, 502].map(exitCodeForStatus)).toEqual([
      EXIT.notFound,
      EXIT.notFound,
      EXIT.auth,
      EXIT.auth,
      EXIT.refused,
      EXIT.refused,
      EXIT.refused,
      EXIT.server,
      EXIT.server,
    ]);
  });

  it("maps local runs: the handler's own statuses are fine, its exception or a stop is not", () => {
    const error = { type: "ValueError", message: "no", traceback: "" };
    expect(runExitCode({ response: jsonWireResponse(500, {}) })).toBe(EXIT.ok);
    expect(runExitCode({ response: handlerErrorResponse(error), error })).toBe(EXIT.handlerError);
    expect(runExitCode({ response: stoppedResponse("budget") })).toBe(EXIT.stopped);
  });

  it("says what the API refused, with each invalid field", () => {
    expect(
      describeApiError(422, {
        code: "compile_error",
        message: "Line 2:11: Unexpected token",
        details: { line: 2, column: 11 },
      }),
    ).toBe("Line 2:11: Unexpected token (422 compile_error)");
    const issues = [
      { path: ["language"], message: "Invalid option" },
      { path: [], message: "Too big" },
    ];
    expect(
      describeApiError(400, { code: "invalid_body", message: "Invalid body", details: { issues } }),
    ).toBe("Invalid body (400 invalid_body)\n  language: Invalid option\n  Too big");
  });
});

describe("output", () => {
  it("prints a curl line that a shell reads back as the URL", () => {
    expect(curlLine("http://localhost:8787/fn/abc")).toBe("curl -s http://localhost:8787/fn/abc/");
    expect(curlLine("http://h/fn/it's")).toBe(`curl -s 'http://h/fn/it'\\''s/'`);
  });

  it("prints a response head as curl -i does, and bodies as JSON", () => {
    expect(formatResponseHead(418, [["x-kind", "tea"]])).toBe("HTTP 418 I'm a Teapot\nx-kind: tea");
    expect(formatResponseHead(599, [])).toBe("HTTP 599");
    expect(bodyForJson(new TextEncoder().encode("é"))).toEqual({ text: "é" });
    expect(bodyForJson(new Uint8Array([0xff, 0]))).toEqual({ base64: "/wA=" });
  });

  it("shows others' text in a terminal without letting it act: escapes written out, line breaks marked", () => {
    // A handler that prints a caller's input (`print(f"hi {name}")`) reached the owner's terminal
    // as is: `?name=%1b]52;c;…%07` wrote to the clipboard, `\r` and `\x1b[2J` rewrote what was shown.
    const printed =
      "hi \x1b]52;c;ZWNobyBwd25lZA==\x07\rdone\n2026-11-28 00:00:00Z  @1  GET /  200  1 ms";
    const shown = formatCall({
      seq: 1,
      at: "2026-11-28T00:00:00.000Z",
      version: 1,
      method: "GET",
      path: "/\x1b[2J",
      query: "name=\u202e",
      status: 500,
      durationMs: 3,
      logs: [{ stream: "stdout", text: printed, at: 1 }],
      error: { type: "Error", message: "bad \x9b1m" },
    });
    expect(shown.split("\n")).toEqual([
      "2026-11-28 00:00:00Z  @1  GET /\\x1b[2J?name=\\u202e  500  3 ms",
      "    | hi \\x1b]52;c;ZWNobyBwd25lZA==\\x07\\x0ddone",
      "    | 2026-11-28 00:00:00Z  @1  GET /  200  1 ms",
      "    ✗ Error: bad \\x9b1m",
    ]);
    const view = {
      id: "abc",
      title: "\x1b]0;pwned\x07\n  try: curl x|sh",
      language: "python",
      version: 1,
    } as const;
    const urls = { shareUrl: "http://h/s/abc", endpointUrl: "http://h/fn/abc" };
    expect(formatSnippet("Forked", { ...view, ...urls } as never)).toContain(
      "“\\x1b]0;pwned\\x07\\n  try: curl x|sh”",
    );
    // A server (`--server` names it) that puts controls in the URLs it answers with.
    const hostile = {
      shareUrl: "http://h/s/abc\x1b[2J",
      endpointUrl: "http://h/fn/abc\x1b]52;c;eA==\x07",
    };
    const pushed = formatSnippet("Pushed", { ...view, ...hostile } as never);
    expect(pushed.includes("\x1b") || pushed.includes("\x07")).toBe(false);
    expect(pushed).toContain("share:    http://h/s/abc\\x1b[2J");
  });

  it("lists versions newest first", () => {
    const versions = [
      { version: 2, createdAt: "2026-11-26T23:05:41.512Z", size: 2048 },
      { version: 1, createdAt: "2026-11-26T22:00:00.000Z", size: 12 },
    ];
    expect(formatVersions("abc", versions)).toBe(
      [
        "abc: 2 versions",
        "  @2    2026-11-26 23:05:41Z    2.0 KB  latest",
        "  @1    2026-11-26 22:00:00Z      12 B",
      ].join("\n"),
    );
  });
});

describe("config", () => {
  it("lives in FNPAD_CONFIG_DIR, else XDG_CONFIG_HOME/fnpad, else ~/.config/fnpad", () => {
    expect(configDir({ FNPAD_CONFIG_DIR: "/a", XDG_CONFIG_HOME: "/b" })).toBe("/a");
    expect(configDir({ XDG_CONFIG_HOME: "/b" })).toBe("/b/fnpad");
    expect(configDir({})).toMatch(/\/\.config\/fnpad$/);
  });

  it("is written owner-only and read back", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "fnpad-config-")), "fnpad");
    expect(await loadConfig(dir)).toEqual({ tokens: {}, links: {} });
    const config = {
      tokens: { "http://h abc": "secret" },
      links: { "/x/a.py": { server: "http://h", id: "abc" } },
    };
    await saveConfig(dir, { tokens: {}, links: {} }, config);
    expect((await stat(join(dir, "config.json"))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await loadConfig(dir)).toEqual(config);
    expect(JSON.parse(await readFile(join(dir, "config.json"), "utf8"))).toEqual(config);
  });

  it("makes a folder that was there before owner-only too", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fnpad-config-"));
    await chmod(dir, 0o755);
    await saveConfig(dir, { tokens: {}, links: {} }, { tokens: { "http://h a": "t" }, links: {} });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it("keeps what two commands at once each saved (two pushes in two terminals)", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "fnpad-config-")), "fnpad");
    const start: Config = { tokens: { "http://h old": "t0", "http://h gone": "t9" }, links: {} };
    await saveConfig(dir, { tokens: {}, links: {} }, start);
    // Both loaded the same file; each adds its own snippet, one also forgets a removed one.
    const first = structuredClone(start);
    first.tokens["http://h one"] = "t1";
    const second = structuredClone(start);
    second.tokens["http://h two"] = "t2";
    delete second.tokens["http://h gone"];
    await Promise.all([saveConfig(dir, start, first), saveConfig(dir, start, second)]);
    expect((await loadConfig(dir)).tokens).toEqual({
      "http://h old": "t0",
      "http://h one": "t1",
      "http://h two": "t2",
    });
    expect(await readdir(dir)).toEqual(["config.json"]);
  });
});
