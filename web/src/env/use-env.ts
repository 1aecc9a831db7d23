/**
 * A snippet's variables and secrets as the page knows them. The owner (this browser holds the
 * edit token) gets the listing and every value, the values in memory only, never in storage: they
 * go into the owner's browser runs. Anyone else gets the names alone (public, as a fork copies
 * them) and runs with each name's value empty, so `env["API_KEY"]` reads `""` as it would in a fork.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { EnvEntryView } from "../../../workers/api-types.ts";
import type { HandlerEnv } from "../../../workers/runtime-protocol.ts";
import { storage } from "../storage.ts";

export interface SnippetEnv {
  /** Whose env this is: `none` (not saved), `visitor` (no token here) or `owner`. */
  role: "none" | "visitor" | "owner";
  entries: EnvEntryView[];
  /** What a browser run gets: the owner's values, or every name with an empty value. */
  values: HandlerEnv;
  busy: boolean;
  error: string | null;
  set(name: string, value: string, secret: boolean): Promise<boolean>;
  remove(name: string): Promise<void>;
}

const NOTHING: HandlerEnv = {};

type Network = typeof import("../network.ts");

/** Why loading or changing the env failed, in words (their module may be what failed to load). */
async function failureText(failure: unknown, action: "load" | "change"): Promise<string> {
  try {
    return (await import("../network.ts")).envFailureMessage(failure, action);
  } catch {
    return String(failure);
  }
}

export function useSnippetEnv(snippetId: string | null, owned: boolean): SnippetEnv {
  const [entries, setEntries] = useState<EnvEntryView[]>([]);
  // Whose values these are: a render before the effect below catches up with another snippet,
  // or with a token gone, must not hand one snippet's (or the owner's) values to other code.
  const [values, setValues] = useState<{ of: string; owner: boolean; env: HandlerEnv } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers for a snippet the page has since left are dropped.
  const current = useRef<string | null>(null);
  const token = snippetId && owned ? storage.loadToken(snippetId) : null;

  const refresh = useCallback(async (id: string, edit: string) => {
    const api = await import("../network.ts");
    const [listed, revealed] = await Promise.all([api.listEnv(id, edit), api.revealEnv(id, edit)]);
    if (current.current !== id) return;
    setEntries(listed);
    setValues({ of: id, owner: true, env: revealed });
  }, []);

  useEffect(() => {
    current.current = snippetId;
    setEntries([]);
    setValues(null);
    setError(null);
    if (!snippetId) return;
    if (!token) {
      // Without the names a visitor's run would fail where the endpoint's works (a KeyError in
      // Python); offline it stays `{}`, which the panel's notice covers too.
      import("../network.ts")
        .then((api) => api.envNames(snippetId))
        .then(
          (names) => {
            const empty = Object.fromEntries(names.map((name) => [name, ""]));
            if (current.current === snippetId)
              setValues({ of: snippetId, owner: false, env: empty });
          },
          () => {},
        );
      return;
    }
    refresh(snippetId, token).catch(async (failure: unknown) => {
      const text = await failureText(failure, "load");
      if (current.current === snippetId) setError(text);
    });
  }, [snippetId, token, refresh]);

  const change = async (work: (api: Network, id: string, edit: string) => Promise<unknown>) => {
    if (!snippetId || !token) return false;
    setBusy(true);
    setError(null);
    try {
      await work(await import("../network.ts"), snippetId, token);
      await refresh(snippetId, token);
      return true;
    } catch (failure) {
      setError(await failureText(failure, "change"));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return {
    role: snippetId === null ? "none" : token ? "owner" : "visitor",
    entries,
    values: values?.of === snippetId && values.owner === (token !== null) ? values.env : NOTHING,
    busy,
    error,
    set: (name, value, secret) =>
      change((api, id, edit) => api.putEnv(id, edit, name, value, secret)),
    remove: async (name) => {
      await change((api, id, edit) => api.deleteEnv(id, edit, name));
    },
  };
}
