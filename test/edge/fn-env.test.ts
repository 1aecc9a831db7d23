/** A handler's env through `/fn`: both languages, per call, never in fnpad's own answers. */
import { beforeAll, describe, expect, it } from "vitest";
import { OWNER_TOKEN_HEADER } from "../../workers/platform-headers.ts";
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
  /**
   * Saves `code` with the secret `API_KEY` set, calls it as a visitor and as its owner, and
   * expects the handler's 500 both times; the bodies.
   */
  async function handlerErrorWithSecret(code: string, rest = "/") {
    const { id, token } = await createSnippet({ language, code });
    await setSecrets(id, token, { API_KEY: SECRET });
    const texts = [];
    for (const init of [{}, { headers: { [OWNER_TOKEN_HEADER]: token } }]) {
      const failed = await callEndpoint(id, rest, init);
      expect(failed.status).toBe(500);
      expect(failed.headers.get("x-fnpad-error")).toBe("handler");
      texts.push(await failed.text());
    }
    const [visitor = "", owner = ""] = texts;
    return { id, visitor, owner };
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
    const { id, visitor, owner } = await handlerErrorWithSecret(code);
    expect(owner).toContain("boom");
    for (const text of [visitor, owner]) expect(text).not.toContain(SECRET);
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
    const { visitor, owner } = await handlerErrorWithSecret(code);
    for (const piece of piecesOf(SECRET)) expect(visitor + owner).not.toContain(piece);
    const { error } = JSON.parse(owner);
    expect(error.type).toBe(language === "python" ? "ValueError" : "SyntaxError");
    expect(error.message).toContain("[env API_KEY]");
    if (language === "python") expect(error.traceback).toContain("[env API_KEY]");
  }, 60_000);

  it("a visitor learns no error text, so redaction cannot be used as an oracle for the secret", async () => {
    // The attack: guesses at pieces of the key, sent where the handler quotes them in an error;
    // those replaced by `[env API_KEY]` would be right. The guess here is the key's first 8.
    const code =
      language === "python"
        ? 'def handler(request):\n    return int(request.query.get("n", "1"))\n'
        : 'export default (req: Request) => BigInt(new URL(req.url).searchParams.get("n") ?? "1").toString();\n';
    const guess = `?n=guess-${SECRET.slice(0, 8)}-end`;
    const { visitor, owner } = await handlerErrorWithSecret(code, `/${guess}`);
    expect(owner).toContain("[env API_KEY]");
    expect(visitor).not.toContain("[env");
    expect(visitor).not.toContain("guess-");
    const { error } = JSON.parse(visitor);
    expect(error).toMatchObject({
      type: language === "python" ? "ValueError" : "SyntaxError",
      line: expect.any(Number),
    });
    expect(error.message).toMatch(/shown only to the snippet's owner/);
    expect(error.traceback).toBe("");
    // Without env values there is nothing to give away: a visitor reads the whole error.
    const { id: plain } = await createSnippet({ language, code });
    expect(await (await callEndpoint(plain, `/${guess}`)).text()).toContain("guess-");
  }, 60_000);
});
