/**
 * `fnpad run` printed what the handler controls (its log lines, response headers, traceback) to
 * the terminal as it was, so a handler, or a caller's input it echoes, could retitle the window,
 * clear the screen or write to the clipboard (OSC 52). Each now reaches the terminal escaped
 * (`forTerminal`); a body piped elsewhere stays byte for byte, and one shown in a terminal is
 * escaped too (`bodyForTerminal`).
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { bodyForTerminal, formatResponseHead } from "../../cli/format.ts";

const execFileAsync = promisify(execFile);
const CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07";
const RETITLE = "\x1b]0;owned\x07";
const CLEAR = "\x1b[2J";

async function fnpadRun(name: string, code: string) {
  const dir = await mkdtemp(join(tmpdir(), "fnpad-run-escapes-"));
  await writeFile(join(dir, name), code);
  const args = ["cli/bin.js", "run", join(dir, name)];
  return execFileAsync(process.execPath, args, {
    env: { ...process.env, FNPAD_CONFIG_DIR: dir },
    encoding: "utf8",
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe("fnpad run shows the handler's text escaped", () => {
  it("TypeScript: log lines and headers escaped; the piped body byte for byte", async () => {
    const result = await fnpadRun(
      "loud.ts",
      `export default () => {
  console.log(${JSON.stringify(`${RETITLE}hi${CLEAR}`)});
  return new Response(${JSON.stringify(`body${CLEAR}`)}, { headers: { "x-note": ${JSON.stringify(`a${CLIPBOARD}`)} } });
};
`,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("\\x1b]0;owned\\x07hi\\x1b[2J\n");
    expect(result.stdout).toContain("x-note: a\\x1b]52;c;ZWNobyBwd25lZA==\\x07\n");
    expect(result.stdout.endsWith(`\n\nbody${CLEAR}`)).toBe(true);
    expect(result.stdout.replace(`body${CLEAR}`, "")).not.toContain("\x1b");
  });

  it("TypeScript: an error's message escaped on stderr", async () => {
    const result = await fnpadRun(
      "throws.ts",
      `export default () => {\n  throw new Error(${JSON.stringify(`boom${CLIPBOARD}`)});\n};\n`,
    );
    expect(result.code).toBe(6);
    expect(result.stderr).toContain("boom\\x1b]52;c;ZWNobyBwd25lZA==\\x07");
    expect(result.stderr).not.toContain("\x1b");
  });

  it("Python: printed lines and the traceback escaped", async () => {
    const result = await fnpadRun(
      "loud.py",
      `def handler(request):\n    print(${JSON.stringify(`${RETITLE}hi`)})\n    raise ValueError(${JSON.stringify(`bad${CLEAR}`)})\n`,
    );
    expect(result.code).toBe(6);
    expect(result.stderr).toContain("\\x1b]0;owned\\x07hi\n");
    expect(result.stderr).toContain("ValueError: bad\\x1b[2J");
    expect(result.stderr).not.toContain("\x1b");
  });

  it("a terminal gets headers and the body escaped", () => {
    expect(formatResponseHead(200, [[`x-a${CLEAR}`, `v\r\n${RETITLE}`]])).toBe(
      "HTTP 200 OK\nx-a\\x1b[2J: v\\x0d\\n\\x1b]0;owned\\x07",
    );
    expect(bodyForTerminal(new TextEncoder().encode(`hi${CLIPBOARD}\nthere`))).toBe(
      "hi\\x1b]52;c;ZWNobyBwd25lZA==\\x07\nthere\n",
    );
    expect(bodyForTerminal(new Uint8Array())).toBe("\n");
  });
});
