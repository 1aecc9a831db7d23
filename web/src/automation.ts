import { toBase64 } from "../../workers/bytes.ts";
import type { WireResponse } from "../../workers/runtime-protocol.ts";
import type { RequestDraft } from "./request-draft.ts";

/** A response as scripts read it: the body as base64, so it crosses `page.evaluate` intact. */
export interface ScriptResponse {
  status: number;
  headers: [string, string][];
  bodyBase64: string;
}

/** What scripts driving the page (the e2e tests, the benchmark) may call, as `window.fnpad`. */
export interface AutomationHook {
  /** Replaces the handler code, through Monaco when it is loaded. */
  setCode(code: string): void;
  /** The handler code as the page holds it now. */
  code(): string;
  /** Replaces the request builder's contents (the UI shows them as if typed). */
  setRequest(draft: RequestDraft): void;
  /** The last browser run's response and the last "Run at edge" response, when there are any. */
  responses(): { browser: ScriptResponse | null; edge: ScriptResponse | null };
}

declare global {
  interface Window {
    fnpad?: AutomationHook;
  }
}

/** Publishes the hook; returns the function that withdraws it. */
export function installAutomationHook(hook: AutomationHook): () => void {
  window.fnpad = hook;
  return () => {
    if (window.fnpad === hook) window.fnpad = undefined;
  };
}

/** A response in the form `responses()` hands it to scripts. */
export function toScriptResponse(response: WireResponse): ScriptResponse {
  return {
    status: response.status,
    headers: response.headers,
    bodyBase64: toBase64(response.body),
  };
}
