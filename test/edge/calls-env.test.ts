/** The call log never keeps a snippet's secret, even when the handler prints or raises it. */
import { describe, expect, it } from "vitest";
import { createSnippet } from "./api-client.ts";
import { callsOnce } from "./calls-client.ts";
import { callEndpoint, setSecrets } from "./fn-client.ts";

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
});
