/**
 * Stored versions run with this deploy's compiler: a compiled form made by another compiler (an
 * older work guard) is compiled again before it runs; one made by this compiler is used as stored.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { COMPILER_VERSION, LOOP_TICK } from "../../workers/typescript/compile.ts";
import { api, createSnippet } from "./api-client.ts";
import { callEndpoint } from "./fn-client.ts";

const FRESH = 'export default function handler() {\n  return "compiled now";\n}\n';
/** What an older compiler might have stored: here, unguarded and answering differently. */
const STORED = 'export default () => "as stored";\n';

/** A TypeScript snippet whose stored compiled form is `compiled`, made by compiler `compiler`. */
async function storedAs(code: string, compiled: string, compiler: number | null) {
  const { id } = await createSnippet({ language: "typescript", code: FRESH });
  await env.DB.prepare(
    "UPDATE versions SET code = ?, compiled = ?, compiler = ? WHERE snippet_id = ?",
  )
    .bind(code, compiled, compiler, id)
    .run();
  return id;
}

async function served(id: string) {
  const response = await callEndpoint(id);
  return { status: response.status, text: await response.text() };
}

describe("stored compiled forms", () => {
  it("are compiled again when an older compiler made them (or none is recorded)", async () => {
    for (const compiler of [null, COMPILER_VERSION - 1]) {
      const id = await storedAs(FRESH, STORED, compiler);
      expect(await served(id)).toEqual({ status: 200, text: "compiled now" });
    }
  });

  it("are used as stored when this compiler made them", async () => {
    const id = await storedAs(FRESH, STORED, COMPILER_VERSION);
    expect(await served(id)).toEqual({ status: 200, text: "as stored" });
  });

  it("of code this compiler refuses become the handler's error, not a run of the old form", async () => {
    // The guard's own function, which today's compiler refuses to let a handler name.
    const code = `globalThis.${LOOP_TICK} = () => {};\nexport default () => "unguarded";\n`;
    const id = await storedAs(code, code, null);
    const { status, text } = await served(id);
    expect(status).toBe(500);
    expect(text).toContain("SyntaxError");
    expect(text).toContain("save it again");
    expect(text).not.toContain("unguarded");
  });

  it("are recorded with the compiler at save and kept on fork", async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: FRESH });
    const forked = await api("POST", `/api/snippets/${id}/fork`, { token });
    const fork = (await forked.json()) as { id: string };
    const { results } = await env.DB.prepare(
      "SELECT compiler FROM versions WHERE snippet_id IN (?, ?)",
    )
      .bind(id, fork.id)
      .all<{ compiler: number }>();
    expect(results.map((row) => row.compiler)).toEqual([COMPILER_VERSION, COMPILER_VERSION]);
  });
});
