/**
 * The owner's view of the endpoint's rate limits: the limits in force, how many calls they
 * refused, and changing them. Read when the control opens and every `REFRESH_MS` while it is open
 * (a refused call is counted, not logged, so this is where the owner sees a burst being turned
 * away); nothing is fetched for visitors or while the control is closed.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { RateLimits, RateLimitsView } from "../../../workers/api-types.ts";
import * as api from "../api.ts";
import { storage } from "../storage.ts";

const REFRESH_MS = 5000;

/**
 * The last limits read for each snippet on this page. The control moves (into the endpoint card
 * when presenting, back when not) and so mounts anew: it shows what it last knew at once, rather
 * than nothing until the server answers again (and the keyboard's next Tab skipping it).
 */
const lastRead = new Map<string, RateLimitsView>();

/** What the control of `snippetId` starts from: the limits last read on this page, if any. */
function lastReadOf(snippetId: string | null): RateLimitsView | null {
  return (snippetId && lastRead.get(snippetId)) || null;
}

export interface EndpointLimits {
  view: RateLimitsView | null;
  busy: boolean;
  error: string | null;
  /** Whether the control is open (and so kept fresh). */
  setOpen(open: boolean): void;
  /** Sets the limits (`null`: the default); true when the server took them. */
  save(limits: { [K in keyof RateLimits]?: number | null }): Promise<boolean>;
}

export function useEndpointLimits(snippetId: string | null, owned: boolean): EndpointLimits {
  const [view, setShownView] = useState(() => lastReadOf(snippetId));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const token = snippetId && owned ? storage.loadToken(snippetId) : null;
  // Answers for a snippet the page has since left are dropped.
  const current = useRef<string | null>(null);
  current.current = snippetId;

  const setView = useCallback((id: string, next: RateLimitsView) => {
    lastRead.set(id, next);
    if (current.current === id) setShownView(next);
  }, []);

  const load = useCallback(
    async (id: string, edit: string) => {
      try {
        setView(id, await api.getLimits(id, edit));
      } catch (failure) {
        if (current.current === id) setError((failure as Error).message);
      }
    },
    [setView],
  );

  useEffect(() => {
    setShownView(lastReadOf(snippetId));
    setError(null);
    if (snippetId && token) void load(snippetId, token);
  }, [snippetId, token, load]);

  useEffect(() => {
    if (!snippetId || !token || !open) return;
    void load(snippetId, token);
    const timer = setInterval(() => void load(snippetId, token), REFRESH_MS);
    return () => clearInterval(timer);
  }, [snippetId, token, open, load]);

  const save: EndpointLimits["save"] = async (limits) => {
    if (!snippetId || !token) return false;
    setBusy(true);
    setError(null);
    try {
      setView(snippetId, await api.putLimits(snippetId, token, limits));
      return true;
    } catch (failure) {
      setError((failure as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  return { view, busy, error, setOpen, save };
}
