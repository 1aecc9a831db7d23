import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { curlCommand, printfFormat, shellQuote } from "../../web/src/curl.ts";
import { DEFAULT_DRAFT, type RequestDraft } from "../../web/src/request-draft.ts";

const ENDPOINT = "http://127.0.0.1:8787/fn/abc123";

/**
 * Runs `command` in a real POSIX shell (dash) with `curl` replaced by a function that prints the
 * words it received, NUL-separated, then its standard input when told to read the body from it.
 */
function wordsCurlReceives(command: string): { words: string[]; stdin: Buffer } {
  const fakeCurl =
    'curl() { for word in "$@"; do printf "%s\\0" "$word"; done; printf "STDIN\\0"; case "$*" in *@-*) cat;; esac; }';
  const output = execFileSync("sh", ["-c", `${fakeCurl}\n${command}`]);
  const marker = output.indexOf("STDIN\0");
  const words = output.subarray(0, marker).toString("utf8").split("\0").slice(0, -1);
  return { words, stdin: output.subarray(marker + "STDIN\0".length) };
}

const draft = (patch: Partial<RequestDraft>): RequestDraft => ({
  ...DEFAULT_DRAFT,
  query: [],
  ...patch,
});

describe("shellQuote", () => {
  test.each([
    "plain",
    "",
    "it's",
    "''",
    "a\nb\r\nc",
    'dollar $HOME `date` $(id) "double" \\back',
    "unicode ünïcødé 日本語 🐍",
    "*?[glob]{a,b} ~ & | ; < > #",
  ])("the shell gives back %j exactly", (word) => {
    const { words } = wordsCurlReceives(`curl ${shellQuote(word)}`);
    expect(words).toEqual([word]);
  });
});

describe("curlCommand", () => {
  test("GET with a query: no -X, the URL quoted", () => {
    const command = curlCommand(
      draft({ path: "/users/7", query: [{ enabled: true, name: "q", value: "a b&c'" }] }),
      ENDPOINT,
    );
    expect(command).toBe(`curl -i '${ENDPOINT}/users/7?q=a+b%26c%27'`);
  });

  test("POST with headers and a text body: quotes, newlines and unicode arrive intact", () => {
    const body = `{"name": "O'Brien", "note": "line 1\nline 2", "emoji": "🐍"}\n`;
    const command = curlCommand(
      draft({
        method: "POST",
        path: "/it's here",
        headers: [
          { enabled: true, name: "Content-Type", value: "application/json" },
          { enabled: true, name: "X-Quote", value: `it's "quoted" $x` },
          { enabled: false, name: "X-Off", value: "not sent" },
          { enabled: true, name: "X-Empty", value: "" },
        ],
        body,
      }),
      ENDPOINT,
    );
    expect(wordsCurlReceives(command).words).toEqual([
      "-i",
      "-X",
      "POST",
      `${ENDPOINT}/it's%20here`,
      "-H",
      "content-type: application/json",
      "-H",
      `x-quote: it's "quoted" $x`,
      "-H",
      "x-empty;",
      "--data-raw",
      body,
    ]);
  });

  test("a body without a content type tells curl not to add its form type", () => {
    const { words } = wordsCurlReceives(
      curlCommand(draft({ method: "PUT", body: "@not-a-file" }), ENDPOINT),
    );
    expect(words.slice(-4)).toEqual(["-H", "content-type:", "--data-raw", "@not-a-file"]);
  });

  test("a binary body goes through printf and stdin, byte for byte", () => {
    const bytes = Uint8Array.from([0, 255, 16, 128, 10, 13, 37, 92, 39, 65, 0xe6, 0x97]);
    const base64 = Buffer.from(bytes).toString("base64");
    const command = curlCommand(
      draft({
        method: "POST",
        body: base64,
        bodyEncoding: "base64",
        headers: [{ enabled: true, name: "content-type", value: "application/octet-stream" }],
      }),
      ENDPOINT,
    );
    expect(command.startsWith("printf '")).toBe(true);
    const { words, stdin } = wordsCurlReceives(command);
    expect(words.slice(-2)).toEqual(["--data-binary", "@-"]);
    expect([...stdin]).toEqual([...bytes]);
  });

  test("printfFormat escapes what printf or the shell would read specially", () => {
    expect(printfFormat(new TextEncoder().encode("a%b\\c'd"))).toBe("'a\\045b\\134c\\047d'");
  });

  test("HEAD uses --head; URLs with brackets turn curl's globbing off", () => {
    expect(curlCommand(draft({ method: "HEAD", path: "/[x]" }), ENDPOINT)).toBe(
      `curl -i --globoff --head '${ENDPOINT}/[x]'`,
    );
  });

  test("GET never sends the builder's body", () => {
    expect(curlCommand(draft({ body: "ignored" }), ENDPOINT)).toBe(`curl -i '${ENDPOINT}/'`);
  });
});
