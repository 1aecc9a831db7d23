import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type { EditorAppearance } from "../editor/handle.ts";
import { FONT_SIZES, type FontMode, storage } from "../storage.ts";

/** The query parameter that opens a snippet in presenter mode: `/s/:id?present`. */
const PRESENT_PARAM = "present";

const inAddressBar = () => new URLSearchParams(location.search).has(PRESENT_PARAM);

/**
 * Presenter mode (big code, the endpoint with a QR code, the last response) and the editor's
 * font size, kept per browser for each mode. The mode follows `?present` in the address bar.
 */
export function usePresenter() {
  const [present, setPresent] = useState(inAddressBar);
  const mode: FontMode = present ? "present" : "normal";
  const [sizes, setSizes] = useState(() => ({
    normal: storage.loadFontSize("normal"),
    present: storage.loadFontSize("present"),
  }));

  useEffect(() => {
    const onPop = () => setPresent(inAddressBar());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  const toggle = useCallback(() => {
    const next = !inAddressBar();
    const url = new URL(location.href);
    if (next) url.searchParams.set(PRESENT_PARAM, "");
    else url.searchParams.delete(PRESENT_PARAM);
    history.replaceState(history.state, "", `${url.pathname}${url.search.replace(/=$/, "")}`);
    setPresent(next);
  }, []);

  const zoom = useCallback(
    (step: 1 | -1) =>
      setSizes((current) => {
        const px = Math.min(FONT_SIZES.max, Math.max(FONT_SIZES.min, current[mode] + step * 2));
        storage.saveFontSize(mode, px);
        return { ...current, [mode]: px };
      }),
    [mode],
  );

  const appearance = useMemo<EditorAppearance>(
    () => ({ fontSize: sizes[mode], highContrast: present, wrap: present }),
    [sizes, mode, present],
  );
  return { present, toggle, zoom, appearance };
}
