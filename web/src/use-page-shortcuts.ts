import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";

/** What the page's shortcuts do, as of the latest render. */
export interface PageActions {
  runNow: () => unknown;
  save: () => unknown;
  switchPresent: () => void;
}

/**
 * The page's keyboard shortcuts, anywhere on it (the editor included): Ctrl/Cmd+Enter runs,
 * Ctrl/Cmd+S saves, Ctrl/Cmd+Shift+P toggles presenter mode. Read through a ref, so the listener
 * is added once and always calls the latest actions.
 */
export function usePageShortcuts(actions: RefObject<PageActions>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || !actions.current) return;
      if (event.key === "Enter") {
        event.preventDefault();
        void actions.current.runNow();
      } else if (event.shiftKey && event.key.toLowerCase() === "p") {
        event.preventDefault();
        actions.current.switchPresent();
      } else if (event.key.toLowerCase() === "s") {
        event.preventDefault();
        void actions.current.save();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [actions]);
}
