import { useEffect, useRef, useState } from "preact/hooks";
import type { CallRecord } from "../../../workers/call-log-types.ts";
import { CALL_LOG } from "../../../workers/limits.ts";
import { listCalls, openCallFeed } from "./calls-api.ts";

/** Incoming calls are applied at most this often: a burst of 100 calls a second is a few renders. */
const FLUSH_MS = 250;
/** After the socket drops, wait this long before reconnecting (doubling up to `MAX_RETRY_MS`). */
const RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/**
 * The calls last shown for each snippet on this page. The panel moves when presenting starts or
 * ends, and so mounts anew: it shows these at once while it reads the log and reconnects, rather
 * than an empty list in front of the room.
 */
const lastShown = new Map<string, CallRecord[]>();

/** The owner's view of a snippet's call log. */
export interface CallsView {
  /** Newest first, at most as many as the log keeps. */
  calls: CallRecord[];
  /** `live` while the socket is open. */
  status: "loading" | "live" | "reconnecting" | "failed";
}

/** Merges new calls into the list: newest first, each once, bounded like the log itself. */
export function mergeCalls(shown: CallRecord[], incoming: CallRecord[]): CallRecord[] {
  const bySeq = new Map(shown.map((call) => [call.seq, call]));
  for (const call of incoming) bySeq.set(call.seq, call);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, CALL_LOG.keep);
}

/** The call log of snippet `id`, live; `token` is its edit token (no token, no log). */
export function useCalls(id: string, token: string): CallsView {
  const [view, setView] = useState<CallsView>(() => shownBefore(id));
  const newest = useRef(0);

  useEffect(() => {
    let closed = false;
    let socket: WebSocket | null = null;
    let retry = RETRY_MS;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let pending: CallRecord[] = [];
    const before = shownBefore(id);
    // The calls already shown count as had: the socket sends only those after them.
    newest.current = before.calls[0]?.seq ?? 0;
    setView(before);

    const apply = (incoming: CallRecord[], status?: CallsView["status"]) => {
      for (const call of incoming) newest.current = Math.max(newest.current, call.seq);
      setView((previous) => {
        const calls = incoming.length ? mergeCalls(previous.calls, incoming) : previous.calls;
        lastShown.set(id, calls);
        return { calls, status: status ?? previous.status };
      });
    };
    const flush = () => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      if (!closed) apply(batch);
    };
    const connect = () => {
      socket = openCallFeed(
        id,
        token,
        () => newest.current,
        (calls) => {
          pending.push(...calls);
          // Bounded like the list: the oldest of a long burst would be trimmed anyway.
          if (pending.length > CALL_LOG.keep) pending = pending.slice(-CALL_LOG.keep);
          flushTimer ??= setTimeout(flush, FLUSH_MS);
        },
      );
      socket.addEventListener("open", () => {
        retry = RETRY_MS;
        apply([], "live");
      });
      socket.addEventListener("close", () => {
        if (closed) return;
        apply([], "reconnecting");
        retryTimer = setTimeout(connect, retry);
        retry = Math.min(retry * 2, MAX_RETRY_MS);
      });
    };
    listCalls(id, token)
      .then((page) => {
        if (closed) return;
        apply(page.calls);
        connect();
      })
      .catch(() => !closed && apply([], "failed"));
    return () => {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(flushTimer);
      socket?.close(1000, "page left");
    };
  }, [id, token]);

  return view;
}

/** What the view of `id`'s log starts from: the calls last shown on this page, if any. */
function shownBefore(id: string): CallsView {
  return { calls: lastShown.get(id) ?? [], status: "loading" };
}
