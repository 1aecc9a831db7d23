import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

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

/** The profiles made by this process, deleted when it ends. */
const profiles = new Set<string>();

/**
 * A fresh regular profile (not the incognito-like context of `browser.newContext()`), in a
 * Chromium of its own: with the disk caches, and V8's code cache for scripts, that a returning
 * visitor's browser has. Closing it ends that Chromium; the profile is deleted when this process ends.
 */
export async function launchProfile(): Promise<BrowserContext> {
  const dir = await mkdtemp(join(tmpdir(), "fnpad-profile-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: EXECUTABLE,
    args: FLAGS,
    headless: true,
  });
  if (profiles.size === 0)
    // Once this process ends: Chromium may still be writing to a profile as its context closes.
    process.once("exit", () => {
      for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
    });
  profiles.add(dir);
  return context;
}
