import { useEffect, useRef, useState } from "preact/hooks";
import type { RunOutcome } from "../../workers/runner-protocol.ts";
import type { HeaderPair, WireResponse } from "../../workers/runtime-protocol.ts";
import type { RequestDraft } from "./request-draft.ts";
import type { SnippetState } from "./snippet/session-ports.ts";
import { storage } from "./storage.ts";

/** The last "Run at edge": the browser's and the edge's responses to one request, or what failed. */
export type EdgeRun =
  | { phase: "running" }
  | {
      phase: "done";
      browser: WireResponse;
      edge: WireResponse;
      edgeVersion: number;
      dirty: boolean;
      /** How long the handler took in the browser, in ms. */
      browserMs: number;
      /** How long the edge took to answer the page, network included, in ms. */
      edgeMs: number;
      /** The code and the request it compared (`comparedInput`): a later edit makes it stale. */
      input: string;
    }
  | { phase: "failed"; message: string };

/** What a comparison ran: the code and the request, as one string to compare with the editor's. */
export function comparedInput(code: string, request: unknown): string {
  return JSON.stringify([code, request]);
}

/** What "Run at edge" needs from the page as it is now. */
export interface EdgeRunInputs {
  snippet: Pick<SnippetState, "snippet" | "pinned" | "owned">;
  code: string;
  draft: RequestDraft;
  /** Whether the editor holds changes not saved (the comparison says the edge ran the saved code). */
  dirty: boolean;
  /** Whether the builder's request can be sent (it says why not, where the response goes). */
  requestReady: () => boolean;
  /** Runs the builder's request in the browser, with `headers` in place of its own. */
  runInBrowser: (headers?: HeaderPair[]) => Promise<RunOutcome | null>;
}

/**
 * "Run at edge" and its comparison: the saved endpoint is called with the builder's request,
 * then the handler runs in the browser with the headers the edge's run got, and both answers are
 * kept side by side. A comparison is of one version: opening, restoring or saving another closes
 * it, and a Run at edge still going then brings nothing back.
 */
export function useEdgeRun(inputs: EdgeRunInputs) {
  const { snippet: saved, pinned, owned } = inputs.snippet;
  const [edgeRun, setEdgeRun] = useState<EdgeRun | null>(null);
  const shownVersion = `${saved?.id}@${pinned?.version ?? saved?.version}`;
  useEffect(() => setEdgeRun(null), [shownVersion]);
  // The version shown as of now (state lags a render behind).
  const liveVersion = useRef(shownVersion);
  liveVersion.current = shownVersion;

  const start = async () => {
    const { code, draft, dirty } = inputs;
    if (!saved || edgeRun?.phase === "running" || !inputs.requestReady()) return;
    setEdgeRun({ phase: "running" });
    const input = comparedInput(code, draft);
    const edgeVersion = pinned?.version ?? saved.version;
    const startedOn = shownVersion;
    const stillShown = () => liveVersion.current === startedOn;
    try {
      const { compareWithEdge } = await import("./edge-call.ts"); // loaded after the page is usable
      const compared = await compareWithEdge({
        // Compared with the version the editor shows: pinned by URL, so a frozen endpoint (which
        // serves an older version to everyone else) does not get in the way.
        endpoint: `${saved.endpointUrl}@${edgeVersion}`,
        draft,
        token: owned ? storage.loadToken(saved.id) : null,
        runInBrowser: inputs.runInBrowser,
        stillWanted: stillShown,
      });
      if (!compared || !stillShown()) return;
      setEdgeRun(compared.phase === "done" ? { ...compared, edgeVersion, dirty, input } : compared);
    } catch (error) {
      // Run at edge's own module did not load.
      if (stillShown()) setEdgeRun({ phase: "failed", message: String(error) });
    }
  };
  return { edgeRun, start, close: () => setEdgeRun(null) };
}
