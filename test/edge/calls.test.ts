/**
 * Each snippet's call log: every `/fn` call recorded with its prints and error, credentials
 * redacted, only the owner reading it (list and live socket), 200 calls kept, deleted with the
 * snippet, and a log that fails never failing the call.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_CONTENT_TYPE_CHARS } from "../../edge/calls/sanitize.ts";
import app from "../../edge/index.ts";
import type { CallRecord } from "../../workers/call-log-types.ts";
import { CALL_LOG } from "../../workers/limits.ts";
import { api, createSnippet, ORIGIN } from "./api-client.ts";
import { callsOnce, feed, listCalls, openLive, ownerProtocols } from "./calls-client.ts";
import { callEndpoint } from "./fn-client.ts";

const PRINTING = `export default async function handler(req: Request) {
  const url = new URL(req.url);
  console.log("path", url.pathname, "name", url.searchParams.get("name"));
  console.error("to stderr");
  if (url.pathname === "/boom") {
    throw new TypeError("boom");
  }
  return new Response("got " + (await req.text()).length);
}
`;

const printing = () => createSnippet({ language: "typescript", code: PRINTING });

/** A record's fields that do not vary from run to run. */
const stable = ({ seq: _s, at: _a, durationMs: _d, headers: _h, ...rest }: CallRecord) => rest;

afterEach(() => vi.restoreAllMocks());

describe("recording", () => {
  it("keeps each call: request, response, prints and error, newest first", async () => {
    const { id, token } = await printing();
    const ok = await callEndpoint(id, "/hello?name=Ada", { method: "POST", body: "hi there" });
    expect(await ok.text()).toBe("got 8");
    const boom = await callEndpoint(id, "/boom");
    expect(boom.status).toBe(500);
    await boom.arrayBuffer();

    const [failed, first] = await callsOnce(id, token, 2);
    expect(stable(first as CallRecord)).toEqual({
      version: 1,
      method: "POST",
      path: "/hello",
      query: "name=Ada",
      body: { bytes: 8, text: "hi there" },
      status: 200,
      contentType: "text/plain;charset=UTF-8",
      responseBytes: 5,
      errorSource: null,
      logs: [
        { stream: "stdout", text: "path /hello name Ada", at: expect.any(Number) },
        { stream: "stderr", text: "to stderr", at: expect.any(Number) },
      ],
      logsDropped: 0,
      error: null,
    });
    expect(failed?.status).toBe(500);
    expect(failed?.errorSource).toBe("handler");
    expect(failed?.error).toEqual({ type: "TypeError", message: "boom", line: 6 });
    expect(failed?.body).toEqual({ bytes: 0 });
    expect((failed?.seq ?? 0) > (first?.seq ?? 0)).toBe(true);
    expect(Date.parse(first?.at ?? "")).not.toBeNaN();
  });

  it("keeps a binary body as its size and a long one as its first 4 KB", async () => {
    const { id, token } = await printing();
    await (
      await callEndpoint(id, "/", { method: "POST", body: new Uint8Array([0, 1, 255]) })
    ).text();
    await (await callEndpoint(id, "/", { method: "POST", body: "é".repeat(5000) })).text();
    const [long, binary] = await callsOnce(id, token, 2);
    expect(binary?.body).toEqual({ bytes: 3 });
    expect(long?.body.bytes).toBe(10_000);
    expect(long?.body.text).toBe("é".repeat(CALL_LOG.bodyPreviewBytes / 2));
  });

  it("redacts credentials in request headers, keeping their names", async () => {
    const { id, token } = await printing();
    const sent = {
      authorization: "Bearer s3cret",
      cookie: "session=abc",
      "x-api-key": "k1",
      "x-auth-user": "u",
      "x-my-token": "t",
      "x-client-secret": "s",
      "x-kind": "visible",
      accept: "text/plain",
    };
    await (await callEndpoint(id, "/", { headers: sent })).text();
    const [call] = await callsOnce(id, token, 1);
    const headers = Object.fromEntries(call?.headers ?? []);
    for (const name of ["authorization", "cookie", "x-api-key", "x-auth-user", "x-my-token"])
      expect(headers[name]).toBe(CALL_LOG.redacted);
    expect(headers["x-client-secret"]).toBe(CALL_LOG.redacted);
    expect(headers["x-kind"]).toBe("visible");
    expect(headers.accept).toBe("text/plain");
    expect(JSON.stringify(call)).not.toMatch(/s3cret|abc|"k1"/);
  });
});

describe("only the owner reads the log", () => {
  it("answers 401 without a token and 403 with another snippet's", async () => {
    const { id } = await printing();
    const other = await printing();
    expect((await api("GET", `/api/snippets/${id}/calls`)).status).toBe(401);
    expect((await api("GET", `/api/snippets/${id}/calls`, { token: other.token })).status).toBe(
      403,
    );
    expect((await openLive(id, ["fnpad-calls"])).status).toBe(401);
    const wrong = await openLive(id, ownerProtocols(other.token));
    expect(wrong.status).toBe(403);
    expect(wrong.webSocket).toBeNull();
  });

  it("pushes each new call to the owner's socket, and catches up on request", async () => {
    const { id, token } = await printing();
    await (await callEndpoint(id, "/before")).text();
    const [before] = await callsOnce(id, token, 1);
    const response = await openLive(id, ownerProtocols(token));
    expect(response.status).toBe(101);
    expect(response.headers.get("sec-websocket-protocol")).toBe("fnpad-calls");
    const live = feed(response);
    live.socket.send(JSON.stringify({ type: "since", seq: 0 }));
    expect((await live.next()).calls.map((call) => call.path)).toEqual(["/before"]);
    await (await callEndpoint(id, "/live?name=Bo")).text();
    const pushed = await live.next();
    expect(pushed.calls).toHaveLength(1);
    expect(pushed.calls[0]?.path).toBe("/live");
    expect(pushed.calls[0]?.logs[0]?.text).toBe("path /live name Bo");
    expect(pushed.calls[0]?.seq).toBeGreaterThan(before?.seq ?? 0);
    live.socket.close(1000, "done");
  });
});

describe("bounds and deletion", () => {
  it(`keeps a handler's content type up to ${MAX_CONTENT_TYPE_CHARS} characters`, async () => {
    const code = `export default function handler() {
  return new Response("x", { headers: { "content-type": "text/plain; q=" + "a".repeat(10000) } });
}
`;
    const { id, token } = await createSnippet({ language: "typescript", code });
    const answer = await callEndpoint(id, "/");
    expect(answer.headers.get("content-type")?.length).toBe(10_014);
    await answer.text();
    const [call] = await callsOnce(id, token, 1);
    const kept = call?.contentType ?? "";
    expect(kept.startsWith(`text/plain; q=${"a".repeat(MAX_CONTENT_TYPE_CHARS - 14)}…`)).toBe(true);
    expect(kept.length).toBeLessThan(MAX_CONTENT_TYPE_CHARS + 40);
  });

  it(`keeps the last ${CALL_LOG.keep} calls, paged with a cursor`, async () => {
    const { id, token } = await printing();
    const log = env.CALL_LOG.get(env.CALL_LOG.idFromName(id));
    const call = (n: number) => ({ ...sampleCall(), path: `/${n}` });
    for (let n = 1; n <= CALL_LOG.keep + 30; n += 1) await log.record(call(n));
    const seen: string[] = [];
    let before: number | undefined;
    do {
      const page = await listCalls(id, token, before);
      seen.push(...page.calls.map((kept) => kept.path));
      before = page.next ?? undefined;
    } while (before !== undefined);
    expect(seen).toHaveLength(CALL_LOG.keep);
    expect(seen[0]).toBe(`/${CALL_LOG.keep + 30}`);
    expect(seen.at(-1)).toBe("/31");
  }, 60_000);

  it("deletes the calls with the snippet, and records none afterwards", async () => {
    const { id, token } = await printing();
    await (await callEndpoint(id, "/")).text();
    await callsOnce(id, token, 1);
    expect((await api("DELETE", `/api/snippets/${id}`, { token })).status).toBe(204);
    const log = env.CALL_LOG.get(env.CALL_LOG.idFromName(id));
    expect((await log.list(null, 50)).calls).toEqual([]);
    await log.record(sampleCall());
    expect((await log.list(null, 50)).calls).toEqual([]);
    expect((await api("GET", `/api/snippets/${id}/calls`, { token })).status).toBe(410);
  });

  it("a delete whose log delete failed is finished by the owner's retry, and only the owner's", async () => {
    const { id, token } = await printing();
    await (await callEndpoint(id, "/")).text();
    await callsOnce(id, token, 1);
    const log = env.CALL_LOG.get(env.CALL_LOG.idFromName(id));
    // The snippet's Durable Object failing at the worst moment: after the tombstone was written.
    const failing = {
      idFromName: (name: string) => env.CALL_LOG.idFromName(name),
      get: () => ({ deleteAll: () => Promise.reject(new Error("log unavailable")) }),
    };
    vi.spyOn(console, "error").mockImplementation(() => {});
    const failed = await app.fetch(
      new Request(`${ORIGIN}/api/snippets/${id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${token}` },
      }),
      { ...env, CALL_LOG: failing },
      createExecutionContext(),
    );
    expect(failed.status).toBe(500);
    expect((await log.list(null, 50)).calls).toHaveLength(1);
    // A stranger's retry changes nothing; the owner's deletes the calls, and says it was deleted.
    expect((await api("DELETE", `/api/snippets/${id}`, { token: "wrong" })).status).toBe(410);
    expect((await log.list(null, 50)).calls).toHaveLength(1);
    expect((await api("DELETE", `/api/snippets/${id}`, { token })).status).toBe(410);
    expect((await log.list(null, 50)).calls).toEqual([]);
    await log.record(sampleCall());
    expect((await log.list(null, 50)).calls).toEqual([]);
  });
});

describe("a failing log never fails the call", () => {
  it("answers as usual and logs the failure", async () => {
    const { id } = await printing();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = {
      idFromName: (name: string) => env.CALL_LOG.idFromName(name),
      get: () => ({
        // The same object counts the rate limits: those still answer, only the log fails.
        admit: () => Promise.resolve({ admitted: true }),
        recordMany: () => Promise.reject(new Error("log unavailable")),
      }),
    };
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request(`${ORIGIN}/fn/${id}/x`),
      { ...env, CALL_LOG: broken },
      ctx,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("got 0");
    await waitOnExecutionContext(ctx);
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining("1 call(s) not recorded"),
      expect.objectContaining({ message: "log unavailable" }),
    );
  });
});

function sampleCall(): Omit<CallRecord, "seq"> {
  return {
    at: new Date().toISOString(),
    version: 1,
    method: "GET",
    path: "/",
    query: "",
    headers: [],
    body: { bytes: 0 },
    status: 200,
    contentType: "text/plain",
    responseBytes: 2,
    errorSource: null,
    durationMs: 1,
    logs: [],
    logsDropped: 0,
    error: null,
  };
}
