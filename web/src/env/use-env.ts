/**
 * A snippet's variables and secrets as the page knows them. The owner (this browser holds the
 * edit token) gets the listing and every value, the values in memory only, never in storage: they
 * go into the owner's browser runs. Anyone else knows nothing of the env and runs with `{}`.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { EnvEntryView } from "../../../workers/api-types.ts";
import type { HandlerEnv } from "../../../workers/runtime-protocol.ts";
import * as api from "../api.ts";
import { storage } from "../storage.ts";

export interface SnippetEnv {
  /** Whose env this is: `none` (not saved), `visitor` (no token here) or `owner`. */
  role: "none" | "visitor" | "owner";
  entries: EnvEntryView[];
  /** What a browser run gets: the owner's values, or `{}`. */
  values: HandlerEnv;
  busy: boolean;
  error: string | null;
  set(name: string, value: string, secret: boolean): Promise<boolean>;
  remove(name: string): Promise<void>;
}

const NOTHING: HandlerEnv = {};

export function useSnippetEnv(snippetId: string | null, owned: boolean): SnippetEnv {
  const [entries, setEntries] = useState<EnvEntryView[]>([]);
  const [values, setValues] = useState<HandlerEnv>(NOTHING);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers for a snippet the page has since left are dropped.
  const current = useRef<string | null>(null);
  const token = snippetId && owned ? storage.loadToken(snippetId) : null;

  const refresh = useCallback(async (id: string, edit: string) => {
    const [listed, revealed] = await Promise.all([api.listEnv(id, edit), api.revealEnv(id, edit)]);
    if (current.current !== id) return;
    setEntries(listed);
    setValues(revealed);
  }, []);

  useEffect(() => {
    current.current = snippetId;
    setEntries([]);
    setValues(NOTHING);
    setError(null);
    if (!snippetId || !token) return;
    refresh(snippetId, token).catch((failure: unknown) => {
      if (current.current === snippetId) setError(String((failure as Error).message ?? failure));
    });
  }, [snippetId, token, refresh]);

  const change = async (work: (id: string, edit: string) => Promise<unknown>) => {
    if (!snippetId || !token) return false;
    setBusy(true);
    setError(null);
    try {
      await work(snippetId, token);
      await refresh(snippetId, token);
      return true;
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return {
    role: snippetId === null ? "none" : token ? "owner" : "visitor",
    entries,
    values: token ? values : NOTHING,
    busy,
    error,
    set: (name, value, secret) => change((id, edit) => api.putEnv(id, edit, name, value, secret)),
    remove: async (name) => {
      await change((id, edit) => api.deleteEnv(id, edit, name));
    },
  };
}
