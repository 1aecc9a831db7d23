/**
 * A handler's text with a lone surrogate cannot be sent as UTF-8: both runtimes answer the
 * handler's 500 (the same in the browser and at the edge) instead of replacing it with U+FFFD.
 */
import { loadPyodide } from "pyodide";
import { describe, expect, it } from "vitest";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { PythonRuntime } from "../../workers/python/runtime.ts";
import { compiledWith, importFromDataUrl } from "../../workers/typescript/importers.ts";
import { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";
import { getRequest, responseJson, responseText } from "./request.ts";

describe("lone surrogates in a handler's text", () => {
  it("TypeScript: a returned string is a handler error", async () => {
    const runtime = new TypeScriptRuntime(compiledWith(importFromDataUrl));
    const result = await runtime.run('export default () => "a\\udc00b";', getRequest());
    expect(result.response.status).toBe(500);
    expect(new Headers(result.response.headers).get(ERROR_SOURCE_HEADER)).toBe("handler");
    expect(responseJson(result.response.body)).toMatchObject({
      error: { type: "TypeError", message: expect.stringMatching(/lone surrogate/) },
    });
    // A well-formed pair is text like any other.
    const emoji = await runtime.run('export default () => "\\ud83d\\ude00";', getRequest());
    expect(responseText(emoji.response.body)).toBe("\u{1F600}");
  });

  it("Python: a returned str is a handler error too", async () => {
    const runtime = new PythonRuntime(() => loadPyodide());
    const result = await runtime.run(
      'def handler(request):\n    return "a\\udc00b"\n',
      getRequest(),
    );
    expect(result.response.status).toBe(500);
    expect(new Headers(result.response.headers).get(ERROR_SOURCE_HEADER)).toBe("handler");
    expect(responseJson(result.response.body)).toMatchObject({
      error: { type: "UnicodeEncodeError" },
    });
  }, 60_000);
});
