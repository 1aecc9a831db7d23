/** Walking the playground by keyboard alone: where Tab goes, and whether the focus shows. */
import type { Browser, Page } from "playwright-core";
import { chooseLanguage, launchAppPage, runInBrowser, save, writeCode } from "./snippet-page.ts";

/** Waits `?wait=` ms, so that a run can be stopped by keyboard while it goes. */
export const WAITING_HANDLER = `export default async (req: Request) => {
  const wait = Number(new URL(req.url).searchParams.get("wait") ?? 0);
  await new Promise((resolve) => setTimeout(resolve, wait));
  return Response.json({ waited: wait });
};
`;

/**
 * Chromium with the owner's page (1280×720) of a new snippet with two versions (the second is
 * `WAITING_HANDLER` and a comment), its Limits loaded and one run done: every control is there.
 */
export async function ownedSnippetPage(): Promise<{ browser: Browser; page: Page; id: string }> {
  const { browser, page } = await launchAppPage();
  await chooseLanguage(page, "typescript");
  await writeCode(page, WAITING_HANDLER);
  const id = await save(page);
  await writeCode(page, `${WAITING_HANDLER}// two\n`);
  await save(page, /Saved version 2\./);
  await page.getByTestId("limits").waitFor();
  await page.getByTestId("runtime-typescript").getByText("ready").waitFor();
  await runInBrowser(page);
  return { browser, page, id };
}

/** Where the keyboard's focus is, as a person would name it. */
export interface FocusStop {
  /** The control's name (its label, or its text), or `editor` for Monaco, `page` for nothing. */
  name: string;
  /** Whether the focus is drawn: the control's ring, or the editor's frame. */
  visible: boolean;
}

/** The focused control: its name and whether its focus can be seen. */
export function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { name: "page", visible: false };
    const drawn = (target: Element) => {
      const style = getComputedStyle(target);
      return style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2;
    };
    const host = element.closest(".monaco-host");
    if (host) {
      // The editor's frame, laid over Monaco while it has the focus.
      const frame = getComputedStyle(host, "::after");
      const framed =
        frame.borderTopStyle !== "none" && Number.parseFloat(frame.borderTopWidth) >= 2;
      return { name: "editor", visible: framed };
    }
    const label =
      element.getAttribute("aria-label") ??
      (element as HTMLInputElement).labels?.[0]?.textContent ??
      element.textContent ??
      "";
    return {
      name: label.replace(/\s+/g, " ").trim(),
      visible: element.matches(":focus-visible") && drawn(element),
    };
  });
}

/**
 * Presses `key` (Tab or Shift+Tab) until the focus is on a control named `name` (a string must
 * match the whole name), at most `limit` times; Escape first whenever the focus is in the editor,
 * as its hint says. Returns every stop on the way, the last one included.
 */
export async function tabTo(
  page: Page,
  name: string | RegExp,
  key: "Tab" | "Shift+Tab" = "Tab",
  limit = 60,
): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  const matches = (stop: FocusStop) =>
    typeof name === "string" ? stop.name === name : name.test(stop.name);
  for (let i = 0; i < limit; i++) {
    const from = stops.at(-1) ?? (await focusStop(page));
    if (from.name === "editor") await page.keyboard.press("Escape");
    await page.keyboard.press(key);
    const stop = await focusStop(page);
    stops.push(stop);
    if (matches(stop)) return stops;
  }
  throw new Error(`${key} never reached ${name}: ${stops.map((stop) => stop.name).join(" → ")}`);
}

/** The focus starts from the top of the page, as after a load. */
export async function focusFromTop(page: Page): Promise<void> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  // Sequential navigation starts from the last point clicked: the page's own top-left corner.
  await page.mouse.click(1, 1);
}

/** The names in `stops`, in order, with `wanted` among them in that order (others between). */
export function inOrder(stops: FocusStop[], wanted: (string | RegExp)[]): string[] {
  const names = stops.map((stop) => stop.name);
  let from = 0;
  for (const want of wanted) {
    const at = names.findIndex(
      (name, index) =>
        index >= from && (typeof want === "string" ? name === want : want.test(name)),
    );
    if (at < 0)
      throw new Error(`${want} is not reached after ${names[from - 1]}: ${names.join(" → ")}`);
    from = at + 1;
  }
  return names;
}

/**
 * Waits until the focus is on a control named `name` (moved by the page after a render, or after
 * an answer from the server); throws with where it is instead after `timeout` ms.
 */
export async function focusComesTo(page: Page, name: string | RegExp, timeout = 5000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const stop = await focusStop(page);
    if (typeof name === "string" ? stop.name === name : name.test(stop.name)) return;
    if (Date.now() > deadline) throw new Error(`the focus is on ${stop.name}, not ${name}`);
    await page.waitForTimeout(50);
  }
}
