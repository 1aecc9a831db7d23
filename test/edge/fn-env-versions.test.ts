/**
 * Env values go to the version the endpoint serves. Versions are immutable and callable for good
 * at `/fn/:id@N`: one that once answered with its env went on handing anyone the secrets set
 * after the owner had fixed it, frozen the endpoint on the fix and rotated the secret.
 */
import { expect, it } from "vitest";
import { OWNER_TOKEN_HEADER } from "../../workers/platform-headers.ts";
import { api } from "./api-client.ts";
import { callEndpoint, setSecrets } from "./fn-client.ts";

it("an old version gets the env's names without values, unless the owner calls it", async () => {
  const created = await api("POST", "/api/snippets", {
    body: {
      language: "typescript",
      code: "export default (req: Request, env: Record<string, string>) => env;\n",
    },
  });
  const { id, token } = (await created.json()) as { id: string; token: string };
  await api("PUT", `/api/snippets/${id}`, {
    token,
    body: {
      code: "export default (req: Request, env: Record<string, string>) => ({ ...env, v: 2 });\n",
    },
  });
  await setSecrets(id, token, { API_KEY: "sk_live_rotated_after_the_fix" });
  // The latest version, served: its values.
  expect(await (await callEndpoint(id)).json()).toEqual({
    API_KEY: "sk_live_rotated_after_the_fix",
    v: 2,
  });
  expect(await (await callEndpoint(`${id}@2`)).json()).toMatchObject({
    API_KEY: "sk_live_rotated_after_the_fix",
  });
  // An old one: names only, for anyone but the owner.
  expect(await (await callEndpoint(`${id}@1`)).json()).toEqual({ API_KEY: "" });
  const owner = { headers: { [OWNER_TOKEN_HEADER]: token } };
  expect(await (await callEndpoint(`${id}@1`, "/", owner)).json()).toEqual({
    API_KEY: "sk_live_rotated_after_the_fix",
  });
  // Frozen on version 1, the endpoint serves it: its values again.
  await api("PUT", `/api/snippets/${id}/freeze`, { token, body: { version: 1 } });
  expect(await (await callEndpoint(`${id}@1`)).json()).toEqual({
    API_KEY: "sk_live_rotated_after_the_fix",
  });
  expect(await (await callEndpoint(`${id}@2`)).json()).toEqual({ API_KEY: "", v: 2 });
});
