/**
 * Python's save check in workerd against a compile bomb: 40 kB of Python (one mapping pattern of
 * 3,000 keys) took the shared syntax-checker isolate seconds and a wasm heap past 1 GB to compile
 * (an unauthenticated POST). The tokenizer-level check now refuses it before Python sees it; an
 * ordinary match statement still saves and runs.
 */
import { describe, expect, it } from "vitest";
import type { ApiErrorBody } from "../../workers/api-types.ts";
import { api } from "./api-client.ts";
import { callEndpoint, saveSnippet } from "./fn-client.ts";

const post = (code: string) => api("POST", "/api/snippets", { body: { language: "python", code } });

describe("Python's save check of a huge match pattern", () => {
  it("refuses 3,000 keys in one mapping pattern with a 422 and its line, before Python compiles it", async () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `'${i}': a${i}`).join(", ");
    const code = `def handler(request):\n    return "ok"\n\nmatch x:\n    case {${keys}}:\n        pass\n`;
    const response = await post(code);
    expect(response.status).toBe(422);
    const { error }: ApiErrorBody = await response.json();
    expect(error.code).toBe("syntax_error");
    expect(error.message).toMatch(/^Line 5:5: SyntaxError: this case pattern binds 3000 names/);
    expect(error.details).toMatchObject({ line: 5, column: 5 });
  });

  it("saves and runs an ordinary match statement", async () => {
    const code = `def handler(request):
    match request.json():
        case {"action": "greet", "name": str(name)}:
            return f"hello {name}"
        case {"action": "add", "numbers": [a, b, *rest]} if not rest:
            return str(a + b)
        case {"action": ("quit" | "exit") as action}:
            return action
        case _:
            return "unknown"
`;
    const id = await saveSnippet("python", code);
    const call = (body: unknown) =>
      callEndpoint(id, "/", { method: "POST", body: JSON.stringify(body) }).then((r) => r.text());
    expect(await call({ action: "greet", name: "Ada" })).toBe("hello Ada");
    expect(await call({ action: "add", numbers: [2, 3] })).toBe("5");
    expect(await call({ action: "exit" })).toBe("exit");
    expect(await call({ action: "fly" })).toBe("unknown");
  });
});
