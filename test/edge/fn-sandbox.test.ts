/** What a snippet's isolate can and cannot do, and how endpoints treat bad requests. */
import { beforeAll, describe, expect, it } from "vitest";
import { outboundRefusal } from "../../edge/sandbox/outbound.ts";
import { LIMITS } from "../../workers/limits.ts";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { BUILDER_PATHS } from "../fixtures/builder-paths.ts";
import { api, createSnippet } from "./api-client.ts";
import { callEndpoint, PYTHON_WARM_UP_MS, saveSnippet, warmUpPython } from "./fn-client.ts";

beforeAll(warmUpPython, PYTHON_WARM_UP_MS);

const PRIVATE_URLS = [
  "http://127.0.0.1/api/health",
  "http://127.0.0.1:8787/api/health",
  "http://localhost/",
  "http://[::1]/",
  "http://10.0.0.1/",
  "http://192.168.1.1/",
  "http://169.254.169.254/latest/meta-data/",
  "http://2130706433/",
  "http://0x7f.1/",
  "http://[::ffff:127.0.0.1]/",
  "https://example.com:22/",
];

/** A TS handler that fetches each URL it is given (as JSON) and reports what came back. */
const TS_FETCHER = `export default async function handler(req: Request) {
  const urls: string[] = await req.json();
  const results = [];
  for (const url of urls) {
    try {
      const response = await fetch(url);
      results.push({ url, status: response.status, source: response.headers.get("x-fnpad-error") });
    } catch (error) {
      results.push({ url, status: 0, source: String(error) });
    }
  }
  return results;
}
`;

describe("isolation", () => {
  it("gives a snippet an empty env, even through cloudflare:workers", async () => {
    const id = await saveSnippet(
      "typescript",
      `import { env } from "cloudflare:workers";
export default { fetch: (_req: Request, handlerEnv: object) =>
  Response.json({ module: Object.keys(env), handler: Object.keys(handlerEnv) }) };
`,
    );
    const response = await callEndpoint(id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ module: [], handler: [] });
  });

  it("keeps each snippet's global state to itself", async () => {
    const writer = await saveSnippet(
      "typescript",
      `export default () => { (globalThis as any).shared = "from the writer"; return "written"; };\n`,
    );
    const reader = await saveSnippet(
      "typescript",
      "export default () => String((globalThis as any).shared);\n",
    );
    expect(await (await callEndpoint(writer)).text()).toBe("written");
    expect(await (await callEndpoint(reader)).text()).toBe("undefined");
  });

  it("keeps a Python snippet's imports, globals and changes to fnpad's modules to itself", async () => {
    // Every Python isolate restores the same snapshot, which holds fnpad's adapter and modules:
    // what one snippet changes there must not reach another's.
    const writer = await saveSnippet(
      "python",
      [
        "import builtins, sys, types, fnpad, json",
        "def handler(request):",
        "    builtins.leaked = 'builtins'",
        "    fnpad.leaked = 'fnpad'",
        "    json.dumps = lambda *a, **k: 'poisoned'",
        "    sys.modules['_fnpad_adapter'].leaked = 'adapter'",
        "    sys.modules['leaked_module'] = types.ModuleType('leaked_module')",
        "    import email.mime.text",
        "    return 'written'",
      ].join("\n"),
    );
    const reader = await saveSnippet(
      "python",
      [
        "import builtins, sys, fnpad, json",
        "def handler(request):",
        "    return {",
        "        'adapter': hasattr(sys.modules['_fnpad_adapter'], 'leaked'),",
        "        'builtins': hasattr(builtins, 'leaked'),",
        "        'fnpad': hasattr(fnpad, 'leaked'),",
        "        'json': json.dumps(1),",
        "        'module': 'leaked_module' in sys.modules,",
        "        'imported': 'email.mime.text' in sys.modules,",
        "    }",
      ].join("\n"),
    );
    expect(await (await callEndpoint(writer)).text()).toBe("written");
    const seen = await callEndpoint(reader);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toEqual({
      adapter: false,
      builtins: false,
      fnpad: false,
      json: "1",
      module: false,
      imported: false,
    });
  });

  it("gives a fork with unchanged code an isolate of its own (no shared module state)", async () => {
    const code = "let calls = 0;\nexport default () => String(++calls);\n";
    const original = await createSnippet({ language: "typescript", code });
    expect(await (await callEndpoint(original.id)).text()).toBe("1");
    expect(await (await callEndpoint(original.id)).text()).toBe("2");
    const fork = await api("POST", `/api/snippets/${original.id}/fork`, { body: {} });
    expect(fork.status).toBe(201);
    const { id } = (await fork.json()) as { id: string };
    expect(await (await callEndpoint(id)).text()).toBe("1");
  });

  it("refuses fetches to loopback, private and non-web addresses", async () => {
    const id = await saveSnippet("typescript", TS_FETCHER);
    const response = await callEndpoint(id, "/", {
      method: "POST",
      body: JSON.stringify(PRIVATE_URLS),
    });
    expect(response.status).toBe(200);
    const results: { url: string; status: number; source: string | null }[] = await response.json();
    expect(results).toEqual(PRIVATE_URLS.map((url) => ({ url, status: 403, source: "platform" })));
  });

  it("lets public http(s) URLs through the outbound policy", () => {
    for (const url of [
      "https://api.example.com/v1?x=1",
      "http://93.184.215.14/",
      "https://[2606:4700::1111]/",
    ]) {
      expect(outboundRefusal(new URL(url))).toBeNull();
    }
    expect(outboundRefusal(new URL("http://printer/"))).toMatch(/not a public host name/);
    expect(outboundRefusal(new URL("http://db.internal/"))).toMatch(/not a public host name/);
  });

  it.each([
    ["js", "from js import fetch"],
    ["workers", "from workers import fetch"],
  ])(
    "refuses a Python snippet's fetch to loopback too (%s.fetch)",
    async (_, importLine) => {
      const id = await saveSnippet(
        "python",
        `${importLine}

async def handler(request):
    response = await fetch("http://127.0.0.1/api/health")
    return {"status": response.status, "text": await response.text()}
`,
      );
      const response = await callEndpoint(id);
      expect(response.status).toBe(200);
      const body: { status: number; text: string } = await response.json();
      expect(body.status).toBe(403);
      expect(body.text).toContain("not a public address");
    },
    60_000,
  );
});

describe("runaway handlers", () => {
  it.each([
    ["typescript", "export default () => { while (true) {} };\n"],
    ["python", "def handler(request):\n    while True:\n        pass\n"],
  ] as const)(
    "stops a %s loop with a platform error; other endpoints still answer",
    async (language, code) => {
      const runaway = await saveSnippet(language, code);
      const healthy = await saveSnippet(
        language,
        language === "python"
          ? "def handler(request):\n    return 'fine'\n"
          : "export default () => 'fine';\n",
      );
      const stopped = await callEndpoint(runaway);
      expect(stopped.status).toBe(503);
      expect(stopped.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
      expect(await stopped.json()).toMatchObject({
        error: { message: expect.stringMatching(/^stopped: /) },
      });
      expect(await (await callEndpoint(healthy)).text()).toBe("fine");
      // The runaway endpoint's isolate survives: it is stopped again, not broken.
      expect((await callEndpoint(runaway)).status).toBe(503);
    },
    120_000,
  );
});

/**
 * Runaway work that no loop tick sees. Each is bounded (fib(40) is 330 million calls, the chain a
 * million turns, the Python loop below 200 million rounds), so that without the guards the test
 * fails after seconds rather than freezing workerd; with them, each is stopped well before its end.
 */
describe("runaway handlers beyond loops", () => {
  it.each([
    [
      "recursion",
      "const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));\nexport default () => String(fib(40));\n",
    ],
    [
      "a microtask chain",
      "const spin = (n: number): Promise<number> =>\n  n > 0 ? Promise.resolve(n - 1).then(spin) : Promise.resolve(n);\nexport default async () => String(await spin(1_000_000));\n",
    ],
  ])("stops TypeScript %s with a 503 while another endpoint answers", async (_what, code) => {
    const runaway = await saveSnippet("typescript", code);
    const healthy = await saveSnippet("typescript", "export default () => 'fine';\n");
    const [stopped, fine] = await Promise.all([callEndpoint(runaway), callEndpoint(healthy)]);
    expect(stopped.status).toBe(503);
    expect(stopped.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
    expect(await stopped.json()).toMatchObject({
      error: { message: expect.stringMatching(/^stopped: /) },
    });
    expect(await fine.text()).toBe("fine");
  });
});

describe("runaway Python that ignores SIGINT", () => {
  it("is stopped, not run to its end and then answered with a 503", async () => {
    // The stopped run answers 503 either way (the interrupt did fire); whether the loop ran on to
    // its end shows in the isolate's state, which a second call reports.
    const code = [
      "import signal",
      "finished = []",
      "def handler(request):",
      "    if request.query.get('report'):",
      "        return {'finished': len(finished)}",
      "    signal.signal(signal.SIGINT, signal.SIG_IGN)",
      "    for _ in range(200_000_000):",
      "        pass",
      "    finished.append(True)",
      "    return 'finished'",
    ].join("\n");
    const id = await saveSnippet("python", code);
    const stopped = await callEndpoint(id);
    expect(stopped.status).toBe(503);
    expect(stopped.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
    expect(await (await callEndpoint(id, "/?report=1")).json()).toEqual({ finished: 0 });
  }, 120_000);
});

describe("work budgets", () => {
  it("let a handler doing millions of iterations with calls finish", async () => {
    // ~12 million ticks: 5 million loop rounds and calls, a 100,000-element sort with a comparator.
    const code = [
      "const square = (n: number) => n * n;",
      "export default () => {",
      "  let sum = 0;",
      "  for (let i = 0; i < 5_000_000; i++) sum = (sum + square(i % 1000)) % 1_000_003;",
      "  const items = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_000);",
      "  items.sort((a, b) => a - b);",
      "  return sum + ' ' + items[5];",
      "};",
    ].join("\n");
    const response = await callEndpoint(await saveSnippet("typescript", code));
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^\d+ 5$/);
  });
});

describe("errors outside the handler call", () => {
  it.each([
    [
      "typescript",
      'throw new TypeError("broken at load");\nexport default () => "never";\n',
      "TypeError",
    ],
    [
      "python",
      'raise ValueError("broken at load")\n\ndef handler(request):\n    return 1\n',
      "ValueError",
    ],
  ] as const)(
    "answers a %s module that fails to load with the handler's 500",
    async (language, code, type) => {
      const id = await saveSnippet(language, code);
      const response = await callEndpoint(id);
      expect(response.status).toBe(500);
      expect(response.headers.get(ERROR_SOURCE_HEADER)).toBe("handler");
      expect(await response.json()).toMatchObject({ error: { type }, source: "handler" });
    },
  );

  it("replaces a Python that a handler crashed (its compiler past the stack): the next call runs", async () => {
    const code = [
      "def handler(request):",
      '    if request.path == "/crash":',
      '        return eval("1+" * 120_000 + "1")',
      '    return "alive"',
      "",
    ].join("\n");
    const id = await saveSnippet("python", code);
    const crashed = await callEndpoint(id, "/crash");
    expect(crashed.status).toBe(500);
    expect(crashed.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
    expect(await crashed.json()).toMatchObject({
      error: { message: expect.stringMatching(/^Python crashed /) },
    });
    const next = await callEndpoint(id);
    expect(next.status).toBe(200);
    expect(await next.text()).toBe("alive");
  });

  it("stops a TS loop at the module's top level", async () => {
    const id = await saveSnippet("typescript", "while (true) {}\nexport default () => 'never';\n");
    const response = await callEndpoint(id);
    expect(response.status).toBe(503);
    expect(response.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
  });
});

describe("endpoint responses", () => {
  it("are sandboxed and cannot send headers that act on the app's whole origin", async () => {
    const id = await saveSnippet(
      "typescript",
      `export default () => new Response("<h1>hi</h1>", { headers: {
  "content-type": "text/html",
  "clear-site-data": '"storage", "cookies"',
  "set-cookie": "session=stolen; Path=/",
  "service-worker-allowed": "/",
  "x-kept": "yes",
} });
`,
    );
    const response = await callEndpoint(id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toMatch(/^sandbox /);
    expect(response.headers.get("content-security-policy")).not.toMatch(/allow-same-origin/);
    expect(response.headers.get("clear-site-data")).toBeNull();
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("service-worker-allowed")).toBeNull();
    expect(response.headers.get("x-kept")).toBe("yes");
    expect(await response.text()).toBe("<h1>hi</h1>");
  });
});

describe("versions and requests", () => {
  it("keeps /fn/:id@1 on version 1 after an update; latest follows the update", async () => {
    const created = await createSnippet({
      language: "typescript",
      code: "export default () => 'one';\n",
    });
    const update = await api("PUT", `/api/snippets/${created.id}`, {
      token: created.token,
      body: { code: "export default () => 'two';\n" },
    });
    expect(update.status).toBe(200);
    expect(await (await callEndpoint(created.id)).text()).toBe("two");
    expect(await (await callEndpoint(`${created.id}@1`)).text()).toBe("one");
    expect(await (await callEndpoint(`${created.id}@2`)).text()).toBe("two");
    const missing = await callEndpoint(`${created.id}@3`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
  });

  it("answers 404 JSON for unknown, malformed and deleted endpoints", async () => {
    const created = await createSnippet();
    await api("DELETE", `/api/snippets/${created.id}`, { token: created.token });
    for (const ref of ["nope000000", "bad$id", `${created.id}@0`, created.id]) {
      const response = await callEndpoint(ref, "/x");
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toMatchObject({ source: "platform" });
    }
  });

  it("refuses bodies over the limit with 413, by content-length and while reading", async () => {
    const id = await saveSnippet(
      "typescript",
      "export default async (req: Request) => (await req.arrayBuffer()).byteLength;\n",
    );
    const tooBig = new Uint8Array(LIMITS.requestBodyBytes + 1);
    const declared = await callEndpoint(id, "/", { method: "POST", body: tooBig });
    expect(declared.status).toBe(413);
    expect(declared.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
    const streamed = await callEndpoint(id, "/", {
      method: "POST",
      body: new Blob([tooBig]).stream(),
    });
    expect(streamed.status).toBe(413);
    const atLimit = await callEndpoint(id, "/", {
      method: "POST",
      body: new Uint8Array(LIMITS.requestBodyBytes),
    });
    expect(await atLimit.text()).toBe(String(LIMITS.requestBodyBytes));
  });

  it("hands the handler the path after the endpoint base, and the raw query", async () => {
    const id = await saveSnippet(
      "python",
      "def handler(request):\n    return {'path': request.path, 'x': request.query.get('x')}\n",
    );
    const pinned = await callEndpoint(`${id}@1`, "/users/7?x=1");
    expect(await pinned.json()).toEqual({ path: "/users/7", x: "1" });
    const encoded = await callEndpoint(id, "/a%20b/caf%C3%A9");
    // As sent, percent-encoded: what the browser's request builder hands the handler too.
    expect(await encoded.json()).toEqual({ path: "/a%20b/caf%C3%A9", x: null });
    const bare = await callEndpoint(id, "");
    expect(await bare.json()).toEqual({ path: "/", x: null });
    // Every path the browser's request builder sends reaches the handler as sent.
    for (const [, sent] of BUILDER_PATHS) {
      const answer = await callEndpoint(id, sent);
      expect(await answer.json(), sent).toEqual({ path: sent, x: null });
    }
  }, 60_000);
});

describe("loaded by an app page", () => {
  it("refuses to be the app's script, style or worker; is anyone's data", async () => {
    // The attack: markup injected into the app loads a handler's answer as a script, which the
    // app's CSP allows (`'self'`), and runs it with the app's origin and its edit tokens.
    const id = await saveSnippet("typescript", 'export default () => "alert(1)";\n');
    const load = (site: string, destination: string) =>
      callEndpoint(id, "/", { headers: { "sec-fetch-site": site, "sec-fetch-dest": destination } });
    for (const destination of ["script", "style", "worker", "serviceworker", "sharedworker"]) {
      const refused = await load("same-origin", destination);
      expect(refused.status, destination).toBe(403);
      expect(refused.headers.get(ERROR_SOURCE_HEADER)).toBe("platform");
      expect(await refused.text()).not.toContain("alert(1)");
    }
    for (const [site, destination] of [
      ["same-origin", "empty"],
      ["same-origin", "document"],
      ["cross-site", "script"],
      ["none", "document"],
    ] as const) {
      const served = await load(site, destination);
      expect(`${site} ${destination} ${served.status}`).toBe(`${site} ${destination} 200`);
      expect(await served.text()).toBe("alert(1)");
    }
  });
});
