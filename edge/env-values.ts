/** A snippet's env as a handler gets it: every variable and secret, secrets decrypted. */
import type { HandlerEnv } from "../workers/runtime-protocol.ts";
import { openSecret } from "./env-crypto.ts";
import { listEnv } from "./env-db.ts";

/**
 * Read on every call, not kept with the isolate: a changed secret counts from the next call, and
 * the values stay out of the isolate's `env` and modules.
 */
export async function envValues(
  bindings: Pick<Env, "DB" | "ENV_KEY">,
  snippetId: string,
): Promise<HandlerEnv> {
  const rows = await listEnv(bindings.DB, snippetId);
  const values: HandlerEnv = {};
  for (const row of rows) {
    if (row.secret !== 1) values[row.name] = row.value ?? "";
    else if (row.cipher === null || row.iv === null) values[row.name] = "";
    else {
      const sealed = { cipher: row.cipher, iv: row.iv };
      values[row.name] = await openSecret(bindings.ENV_KEY, snippetId, row.name, sealed);
    }
  }
  return values;
}
