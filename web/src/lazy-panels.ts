/**
 * The parts of the page a first visit does not show (a run's response, a saved snippet's
 * versions, calls and limits, a Run at edge's comparison, presenter mode's endpoint card): fetched once the page is
 * usable (`preloadPanels`), or when first shown, whichever comes first, so the page's first load
 * carries only what its first screen needs.
 */
import { lazyComponent } from "./lazy.ts";

export const CallsPanel = lazyComponent(() =>
  import("./calls/CallsPanel.tsx").then((module) => module.CallsPanel),
);
export const VersionsPanel = lazyComponent(() =>
  import("./components/VersionsPanel.tsx").then((module) => module.VersionsPanel),
);
export const OwnerLimitsControl = lazyComponent(() =>
  import("./limits/LimitsControl.tsx").then((module) => module.OwnerLimitsControl),
);
export const EdgeComparison = lazyComponent(() =>
  import("./components/EdgeComparison.tsx").then((module) => module.EdgeComparison),
);
export const LastResponse = lazyComponent(() =>
  import("./components/LastResponse.tsx").then((module) => module.LastResponse),
);
export const SavedSnippetBar = lazyComponent(() =>
  import("./components/SavedSnippetBar.tsx").then((module) => module.SavedSnippetBar),
);
export const EnvEditor = lazyComponent(() =>
  import("./components/EnvEditor.tsx").then((module) => module.EnvEditor),
);
export const EndpointCard = lazyComponent(() =>
  import("./present/EndpointCard.tsx").then((module) => module.EndpointCard),
);

/** Fetches every one of them now: the page is usable, and they are soon needed. */
export function preloadPanels(): void {
  for (const panel of [
    LastResponse,
    SavedSnippetBar,
    EnvEditor,
    CallsPanel,
    VersionsPanel,
    OwnerLimitsControl,
    EdgeComparison,
    EndpointCard,
  ]) {
    panel.preload().catch(() => undefined); // tried again when shown
  }
  import("./edge-call.ts").catch(() => undefined); // Run at edge's, tried again when clicked
}
