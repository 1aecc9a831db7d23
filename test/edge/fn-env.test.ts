/** A handler's env through `/fn`: both languages, per call, never in fnpad's own answers. */
import { beforeAll, describe, expect, it } from "vitest";
import { api, createSnippet } from "./api-client.ts";
import {
  callEndpoint,
  PYTHON_WARM_UP_MS,
  piecesOf,
  setSecrets,
  warmUpPython,
} from "./fn-client.ts";

beforeAll(warmUpPython, PYTHON_WARM_UP_MS);

const SECRET = "sk-live-fn-0123456789";

const HANDLERS = {
  python: "def handler(request):\n    return request.env.get('API_KEY', '(none)')\n",
  typescript:
    "export default { fetch(req: Request, env: Record<string, string>) { return env.API_KEY ?? '(none)'; } };\n",
} as const;

describe.each(["python", "typescript"] as const)("%s", (language) => {
  /** Saves `code` with the secret `API_KEY` set, calls it, and expects the handler's 500. */
  async function handlerErrorWithSecret(code: string) {
    const { id, token } = await createSnippet({ language, code });
    await setSecrets(id, token, { API_KEY: SECRET });
    const failed = await callEndpoint(id);
    expect(failed.status).toBe(500);
    expect(failed.headers.get("x-fnpad-error")).toBe("handler");
    return { id, text: await failed.text() };
  }

  it("sees its env, and a secret changed without a new version on the next call", async () => {
    const { id, token } = await createSnippet({ language, code: HANDLERS[language] });
    expect(await (await callEndpoint(id)).text()).toBe("(none)");
    await setSecrets(id, token, { API_KEY: SECRET });
    expect(await (await callEndpoint(id)).text()).toBe(SECRET);
    await setSecrets(id, token, { API_KEY: "rotated" });
    expect(await (await callEndpoint(id)).text()).toBe("rotated");
    expect(await (await callEndpoint(`${id}@1`)).text()).toBe("rotated");
    await api("DELETE", `/api/snippets/${id}/env/API_KEY`, { token });
    expect(await (await callEndpoint(id)).text()).toBe("(none)");
  }, 60_000);

  it("gets a fresh env per call: what a run writes into it is gone for the next", async () => {
    const code =
      language === "python"
        ? "def handler(request):\n    seen = request.env.get('X', '')\n    request.env['X'] = 'changed'\n    return seen\n"
        : "export default function handler(_req: Request, env: Record<string, string>) {\n  const seen = env.X;\n  env.X = 'changed';\n  return seen;\n}\n";
    const { id, token } = await createSnippet({ language, code });
    await setSecrets(id, token, { X: "original" });
    expect(await (await callEndpoint(id)).text()).toBe("original");
    expect(await (await callEndpoint(id)).text()).toBe("original");
  }, 60_000);

  it("fnpad's error answers carry no env value (a handler's exception, a version not there)", async () => {
    const code =
      language === "python"
        ? "def handler(request):\n    key = request.env['API_KEY']\n    raise ValueError('boom')\n"
        : "export default function handler(_req: Request, env: Record<string, string>) {\n  const key = env.API_KEY;\n  throw new Error('boom ' + key.length);\n}\n";
    const { id, text } = await handlerErrorWithSecret(code);
    expect(text).toContain("boom");
    expect(text).not.toContain(SECRET);
    const missing = await callEndpoint(`${id}@9`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain(SECRET);
  }, 60_000);

  it("a handler that fails on its own secret answers a 500 that carries no part of it", async () => {
    // The attacks: a non-numeric API key parsed as a number or as JSON. Python quotes the whole
    // value (`invalid literal for int() with base 10: 'sk-…'`), V8 its first 10 characters.
    const code =
      language === "python"
        ? 'def handler(request):\n    return str(int(request.env["API_KEY"]))\n'
        : "export default (_req: Request, env: Record<string, string>) => JSON.parse(env.API_KEY);\n";
    const { text } = await handlerErrorWithSecret(code);
    for (const piece of piecesOf(SECRET)) expect(text).not.toContain(piece);
    const { error } = JSON.parse(text);
    expect(error.type).toBe(language === "python" ? "ValueError" : "SyntaxError");
    expect(error.message).toContain("[env API_KEY]");
    if (language === "python") expect(error.traceback).toContain("[env API_KEY]");
  }, 60_000);
});
