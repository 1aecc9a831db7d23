import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium: Playwright drives it, it never downloads a browser of its own. */
const EXECUTABLE = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
  // Each new window of headless Chromium renders the omnibox's popup as a WebUI page in a
  // renderer of its own (~1-2 s of CPU): on two cores it took one from every page measured.
  "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
];

/** Starts headless Chromium with the flags that work on this project's machines. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: EXECUTABLE, args: FLAGS, headless: true });
}
