/**
 * Text the CLI got from the server reaches the terminal escaped: `pull`'s code on a terminal (a
 * stranger's snippet, pulled to read it, could otherwise hide lines, retitle the window or write
 * the clipboard with OSC 52), and an API error's message (the server quotes what others wrote).
 * Piped, `pull` still writes the code as stored.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Context } from "../../cli/context.ts";
import { pull } from "../../cli/remote.ts";

const execFileAsync = promisify(execFile);
const CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07";
const CODE = `export default () => new Response("hi");\n// ${CLIPBOARD}\x1b[1A\x1b[2K\n`;

function pullContext(): Context {
  return {
    invocation: { command: "pull", positionals: ["abcdefghjkmn"], options: {}, json: false },
    api: { request: async () => ({ id: "abcdefghjkmn", version: 1, code: CODE }) },
  } as unknown as Context;
}

async function pulled(isTTY: boolean): Promise<string> {
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  // Not a property vitest's stdout has: set for this call, then removed.
  Object.defineProperty(process.stdout, "isTTY", { value: isTTY, configurable: true });
  try {
    await pull(pullContext());
  } finally {
    vi.restoreAllMocks();
    Reflect.deleteProperty(process.stdout, "isTTY");
  }
  return written.join("");
}

describe("fnpad pull", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows the code on a terminal with its control characters written out", async () => {
    const shown = await pulled(true);
    expect(shown).not.toContain("\x1b");
    expect(shown).toContain("\\x1b]52;c;ZWNobyBwd25lZA==\\x07");
    expect(shown).toContain('new Response("hi");\n');
  });

  it("writes the code as stored when piped", async () => {
    expect(await pulled(false)).toBe(CODE);
  });
});

describe("an API error's message", () => {
  it("reaches the terminal escaped", async () => {
    const server = createServer((_request, response) => {
      response.writeHead(404, { "content-type": "application/json" });
      const message = `No module named ${CLIPBOARD}`;
      response.end(JSON.stringify({ error: { code: "not_found", message } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const dir = await mkdtemp(join(tmpdir(), "fnpad-server-escapes-"));
    const result = await execFileAsync(
      process.execPath,
      ["cli/bin.js", "versions", "abcdefghjkmn", "--server", `http://127.0.0.1:${port}`],
      { env: { ...process.env, FNPAD_CONFIG_DIR: dir }, encoding: "utf8" },
    ).then(
      () => ({ stderr: "" }),
      (error: { stderr: string }) => error,
    );
    server.close();
    expect(result.stderr).toContain("No module named \\x1b]52;");
    expect(result.stderr).not.toContain("\x1b");
  });
});
