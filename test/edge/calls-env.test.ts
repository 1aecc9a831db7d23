/** The call log never keeps a snippet's secret, even when the handler prints or raises it. */
import { describe, expect, it } from "vitest";
import { createSnippet, TS_HELLO } from "./api-client.ts";
import { callsOnce } from "./calls-client.ts";
import { callEndpoint, piecesOf, setSecrets } from "./fn-client.ts";

const SECRET = "sk-live-calls-0123456789";

describe("a call that prints and raises its secret", () => {
  it("is recorded with the value taken out of its log lines and its error", async () => {
    const code = `export default (req: Request, env: Record<string, string>) => {
  console.log("using " + env.API_KEY);
  throw new Error("bad key " + env.API_KEY);
};
`;
    const { id, token } = await createSnippet({ language: "typescript", code });
    await setSecrets(id, token, { API_KEY: SECRET });
    const response = await callEndpoint(id);
    expect(response.status).toBe(500);
    await response.arrayBuffer();
    const [call] = await callsOnce(id, token, 1);
    const recorded = JSON.stringify(call);
    expect(recorded).not.toContain(SECRET);
    expect(call?.logs.map((entry) => entry.text)).toEqual(["using [env API_KEY]"]);
    expect(call?.error?.message).toBe("bad key [env API_KEY]");
  });

  it("a stream that fails on its secret midway: neither the client nor the log gets a piece of it", async () => {
    const code = `export default (_req: Request, env: Record<string, string>) =>
  new Response(new ReadableStream({
    async pull(controller) {
      controller.enqueue(new TextEncoder().encode("first\\n"));
      await new Promise((resolve) => setTimeout(resolve, 50));
      JSON.parse(env.API_KEY);
    },
  }));
`;
    const { id, token } = await createSnippet({ language: "typescript", code });
    await setSecrets(id, token, { API_KEY: SECRET });
    const response = await callEndpoint(id);
    expect(response.status).toBe(200);
    const received = await response.text().catch((error: unknown) => String(error));
    const [call] = await callsOnce(id, token, 1);
    expect(call?.error?.type).toBe("SyntaxError");
    expect(call?.error?.message).toContain("[env API_KEY]");
    const recorded = JSON.stringify(call);
    for (const piece of piecesOf(SECRET)) {
      expect(recorded).not.toContain(piece);
      expect(received).not.toContain(piece);
    }
  });
});

describe("a call with a credential in its query", () => {
  it("is recorded with that parameter's value taken out, the rest as sent", async () => {
    const { id, token } = await createSnippet({ language: "typescript", code: TS_HELLO });
    const query = `?api_key=${SECRET}&name=Ada%20B&Token=t0k3n-value&password=hunter2&flag`;
    await (await callEndpoint(id, `/${query}`)).arrayBuffer();
    const [call] = await callsOnce(id, token, 1);
    expect(call?.query).toBe(
      "api_key=[redacted]&name=Ada%20B&Token=[redacted]&password=[redacted]&flag",
    );
    expect(JSON.stringify(call)).not.toContain("hunter2");
  });
});
