/** What scripts driving the page (the e2e tests, the benchmark) may call, as `window.fnpad`. */
export interface AutomationHook {
  /** Replaces the handler code, through Monaco when it is loaded. */
  setCode(code: string): void;
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
