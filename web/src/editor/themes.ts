import { editor } from "monaco-editor/editor/editor.api.js";

/**
 * Monaco's own themes with the page's backgrounds (`--bg` in `styles.css`), so the editor does
 * not sit in the page as a differently coloured box.
 */
editor.defineTheme("fnpad-light", {
  base: "vs",
  inherit: true,
  rules: [],
  colors: { "editor.background": "#ffffff", "editorGutter.background": "#ffffff" },
});
editor.defineTheme("fnpad-dark", {
  base: "vs-dark",
  inherit: true,
  rules: [],
  colors: { "editor.background": "#0d1117", "editorGutter.background": "#0d1117" },
});

const darkScheme = matchMedia("(prefers-color-scheme: dark)");

/** The theme that matches the page's colour scheme now (high contrast: Monaco's own, as the page's). */
export const pageTheme = (highContrast = false) =>
  highContrast
    ? darkScheme.matches
      ? "hc-black"
      : "hc-light"
    : darkScheme.matches
      ? "fnpad-dark"
      : "fnpad-light";

/** Calls `listener` when the page's colour scheme changes; returns the unsubscribe function. */
export function onSchemeChange(listener: () => void): () => void {
  darkScheme.addEventListener("change", listener);
  return () => darkScheme.removeEventListener("change", listener);
}
