/**
 * The save-time check in workerd: code that can never run is refused with a 422 and its line
 * (nothing is stored), what the refusals say fnpad provides really runs at the edge, the
 * platform's `request.cf` reaches handlers, and what a save costs.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ApiErrorBody } from "../../workers/api-types.ts";
import type { Language } from "../../workers/runtime-protocol.ts";
import { WORKERD_MODULES, WORKERD_NODE_MODULES } from "../../workers/typescript/check-imports.ts";
import { api, createSnippet, ORIGIN, PYTHON_HELLO } from "./api-client.ts";
import { callEndpoint, PYTHON_WARM_UP_MS, saveSnippet, warmUpPython } from "./fn-client.ts";

async function refusal(response: Response, code: string) {
  expect(response.status).toBe(422);
  const body: ApiErrorBody = await response.json();
  expect(body.error.code).toBe(code);
  return body.error as { message: string; details: Record<string, unknown> };
}

const post = (language: Language, code: string) =>
  api("POST", "/api/snippets", { body: { language, code } });

describe("refused at save", () => {
  it("a Python syntax error, with its line, on create and on update", async () => {
    const broken = "def handler(request):\n    return {'a': 1\n";
    const error = await refusal(await post("python", broken), "syntax_error");
    expect(error.message).toBe("Line 2:12: SyntaxError: '{' was never closed");
    expect(error.details).toMatchObject({ line: 2, column: 12 });

    const created = await createSnippet({ language: "python" });
    const update = await api("PUT", `/api/snippets/${created.id}`, {
      token: created.token,
      body: { code: "def handler(request)\n    return 1\n" },
    });
    expect((await refusal(update, "syntax_error")).message).toMatch(/^Line 1:\d+: .*':'/);
    const read = await (await api("GET", `/api/snippets/${created.id}`)).json();
    expect(read).toMatchObject({ version: 1, code: created.code });
  });

  it("a Python syntax error only Python's parser sees, found by Python itself, with its line", async () => {
    const code = "def handler(request):\n    total = = 1\n    return total\n";
    const error = await refusal(await post("python", code), "syntax_error");
    expect(error.message).toMatch(/^Line 2:\d+: SyntaxError: invalid syntax/);
    expect(error.details).toMatchObject({ line: 2 });
    // Code Python compiles is saved, whatever it would do when run.
    const fine = "def handler(request):\n    return undefined_name\n";
    expect((await post("python", fine)).status).toBe(201);
  });

  it("Python nested past its compiler's stack: refused, and the checker goes on answering", async () => {
    // A fatal error for the Python that compiles it (its stack overflows): that Python is done for.
    const deep = `def handler(request):\n    return ${"1+".repeat(120_000)}1\n`;
    const error = await refusal(await post("python", deep), "syntax_error");
    expect(error.message).toMatch(/too deeply nested/);
    // The checker's isolate boots a fresh Python, which answers the next save in its own words.
    const broken = "def handler(request):\n    total = = 1\n";
    expect((await refusal(await post("python", broken), "syntax_error")).message).toMatch(
      /^Line 2:\d+: SyntaxError: invalid syntax/,
    );
    expect((await post("python", PYTHON_HELLO)).status).toBe(201);
  });

  it("a Python import of a module fnpad does not have, listing what it provides", async () => {
    const code = "import json\nfrom flask import Flask\n\ndef handler(request):\n    return 1\n";
    const error = await refusal(await post("python", code), "unknown_import");
    expect(error.message).toMatch(/^Line 2:1: ModuleNotFoundError: No module named 'flask'/);
    expect(error.message).toContain("fnpad, workers, js, pyodide");
    expect(error.details).toMatchObject({ line: 2, module: "flask" });
    expect(error.details.provided).toEqual(expect.arrayContaining(["json", "workers", "asyncio"]));
  });

  it("a TypeScript import of a package, listing the modules workerd offers", async () => {
    const code = 'import { Hono } from "hono";\n\nexport default new Hono();\n';
    const error = await refusal(await post("typescript", code), "unknown_import");
    expect(error.message).toMatch(/^Line 1:1: Cannot find module 'hono'/);
    expect(error.message).toContain("node:crypto");
    expect(error.message).toContain("cloudflare:workers");
  });

  it("but not the Workers forms, nor imports inside a try", async () => {
    const workers =
      "from workers import Response, WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response('hi')\n";
    expect((await post("python", workers)).status).toBe(201);
    const fallback =
      "try:\n    import ujson as json\nexcept ImportError:\n    import json\n\ndef handler(request):\n    return json.dumps(1)\n";
    expect((await post("python", fallback)).status).toBe(201);
  });
});

describe("what the refusals say is provided", () => {
  it("every node: and cloudflare: module listed imports in an isolate", async () => {
    const failed: string[] = [];
    const modules = [...WORKERD_NODE_MODULES, ...WORKERD_MODULES];
    for (const module of [...modules, ...WORKERD_NODE_MODULES.map((m) => m.slice(5))]) {
      const id = await saveSnippet(
        "typescript",
        `import * as m from "${module}";\nexport default () => typeof m;\n`,
      );
      const response = await callEndpoint(id);
      if ((await response.text()) !== "object") failed.push(module);
    }
    expect(failed).toEqual([]);
  }, 120_000);
});

describe("request.cf at the edge", () => {
  it.each([
    [
      "typescript",
      "export default (req: Request & { cf: { country: string; colo: string; city?: string } }) =>\n  [req.cf.country, req.cf.colo, req.cf.city ?? 'none', 'isEUCountry' in req.cf].join(' ');\n",
    ],
    [
      "python",
      "def handler(request):\n    return ' '.join([request.cf.country, request.cf['colo'], request.cf.get('city', 'none'), str('isEUCountry' in request.cf).lower()])\n",
    ],
  ] as const)(
    "%s gets the platform's cf as it is: a field Cloudflare leaves out stays out",
    async (language, code) => {
      if (language === "python") await warmUpPython();
      const id = await saveSnippet(language, code);
      const response = await exports.default.fetch(`${ORIGIN}/fn/${id}/`, {
        cf: { country: "DE", colo: "FRA" },
      } as RequestInit);
      expect(await response.text()).toBe("DE FRA none false");
    },
    PYTHON_WARM_UP_MS,
  );
});

describe("save latency", () => {
  it.each([
    [
      "python",
      "from workers import Response\n\nasync def on_fetch(request, env):\n    return Response.json({'ok': True})\n",
    ],
    [
      "typescript",
      "export default (req: Request) => Response.json({ ok: new URL(req.url).pathname });\n",
    ],
  ] as const)("%s: a save takes milliseconds", async (language, code) => {
    const times: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      const started = performance.now();
      const response = await post(
        language,
        `${code}# ${round}\n`.replace("# ", language === "python" ? "# " : "// "),
      );
      times.push(performance.now() - started);
      expect(response.status).toBe(201);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${language} save: median ${times[10]?.toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms`,
    );
  });
});
