import type { Language } from "../../../workers/runtime-protocol.ts";
import { loadRunner } from "../run/runner-start.ts";

/** The longest Monaco waits for the language's runtime (on a visit the service worker serves). */
const MONACO_WAIT_MS = 2000;

/**
 * Settles when Monaco may load. On a visit the service worker serves, nothing is downloaded and
 * the cores are what a runtime's start waits for: Monaco's 2.7 MB of script, loaded beside it,
 * took ~0.27 s from a second visit's first Python result (an A/B, ten visits each). There the
 * runtime of the language shown starts first, and Monaco loads once it is ready (or at most
 * `MONACO_WAIT_MS` later); the code is in the plain text area meanwhile. On a visit that
 * downloads, Monaco loads at once: its download goes beside Python's.
 */
export function monacoTurn(language: Language): Promise<void> {
  if (!navigator.serviceWorker?.controller) return Promise.resolve();
  return loadRunner().then(
    (runner) => runner.settled(language, MONACO_WAIT_MS),
    () => undefined,
  );
}
