import type { SnippetView } from "../../workers/api-types.ts";
import type { Language } from "../../workers/runtime-protocol.ts";
import { LANGUAGES } from "../../workers/runtime-protocol.ts";
import { DEFAULT_DRAFT, type RequestDraft } from "./request-draft.ts";
import { STARTERS } from "./starters.ts";

/**
 * What the page keeps across reloads: the unsaved code of a new snippet per language, the language,
 * the request, each saved snippet's unsaved edits (per id, or `id@version` for an older version),
 * the edit tokens of the snippets this browser created, and a copy of the last few snippets opened
 * (so that they open offline: a speaker reloading on a venue's Wi-Fi).
 */
const KEYS = {
  code: (language: Language) => `fnpad:code:${language}`,
  language: "fnpad:language",
  request: "fnpad:request",
  snippetDraft: (key: string) => `fnpad:draft:${key}`,
  token: (id: string) => `fnpad:token:${id}`,
  copy: (id: string) => `fnpad:copy:${id}`,
  copies: "fnpad:copies",
  fontSize: (mode: FontMode) => `fnpad:font-size:${mode}`,
};

/** The editor's font size is kept apart for the normal layout and presenter mode. */
export type FontMode = "normal" | "present";

/** Font sizes the editor starts with, and the range A−/A+ move in (CSS px). */
export const FONT_SIZES = { normal: 15, present: 26, min: 11, max: 48 } as const;

/** The part of `Storage` the page uses (a `Map` does for tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** How many of the snippets opened last are kept for offline use. */
export const SNIPPET_COPIES = 8;
/**
 * A snippet bigger than this (its JSON, in characters) is not kept: eight copies stay under a
 * fifth of a browser's ~5 M-character storage, which drafts and edit tokens need more.
 */
export const SNIPPET_COPY_CHARS = 128 * 1024;

/** The page's keys over `backing`. */
export function browserStore(backing: KeyValueStore) {
  const copyIds = (): string[] => {
    try {
      const ids: unknown = JSON.parse(backing.getItem(KEYS.copies) ?? "[]");
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
    } catch {
      return [];
    }
  };
  /** Forgets every offline copy: what a full storage gives up first. */
  const dropCopies = () => {
    for (const id of copyIds()) backing.removeItem(KEYS.copy(id));
    backing.removeItem(KEYS.copies);
  };
  /** Writes what must not be lost (drafts, tokens); a full storage first gives up the copies. */
  const setKept = (key: string, value: string) => {
    try {
      backing.setItem(key, value);
    } catch (error) {
      if (copyIds().length === 0) throw error;
      dropCopies();
      backing.setItem(key, value);
    }
  };
  return {
    /** The snippet as last opened (or saved) in this browser, for when the server is out of reach. */
    loadSnippetCopy(id: string): SnippetView | null {
      try {
        const copy = JSON.parse(backing.getItem(KEYS.copy(id)) ?? "null") as SnippetView | null;
        return copy?.id === id && typeof copy.code === "string" ? copy : null;
      } catch {
        return null;
      }
    },
    /**
     * Keeps `view` as the newest copy, forgetting the oldest past `SNIPPET_COPIES`. Only the
     * snippet's public view: a just-created snippet's edit token stays in its own key alone.
     */
    saveSnippetCopy(view: SnippetView & { token?: unknown }): void {
      const { token: _token, ...shown } = view;
      const json = JSON.stringify(shown);
      const others = copyIds().filter((id) => id !== view.id);
      const ids = json.length <= SNIPPET_COPY_CHARS ? [view.id, ...others] : others;
      if (ids[0] !== view.id) backing.removeItem(KEYS.copy(view.id));
      for (const old of ids.slice(SNIPPET_COPIES)) backing.removeItem(KEYS.copy(old));
      try {
        if (ids[0] === view.id) backing.setItem(KEYS.copy(view.id), json);
        backing.setItem(KEYS.copies, JSON.stringify(ids.slice(0, SNIPPET_COPIES)));
      } catch {
        // A full storage: the copies are a convenience, the drafts and tokens matter more.
        dropCopies();
      }
    },
    loadCode(language: Language): string {
      return backing.getItem(KEYS.code(language)) ?? STARTERS[language];
    },
    saveCode(language: Language, code: string): void {
      setKept(KEYS.code(language), code);
    },
    /** Forgets a new snippet's code once it is saved, so the next new one starts from the starter. */
    clearCode(language: Language): void {
      backing.removeItem(KEYS.code(language));
    },
    /** Unsaved edits of a saved snippet (`key` is its id, or `id@version`); `null` when there are none. */
    loadSnippetDraft(key: string): string | null {
      return backing.getItem(KEYS.snippetDraft(key));
    },
    saveSnippetDraft(key: string, code: string): void {
      setKept(KEYS.snippetDraft(key), code);
    },
    clearSnippetDraft(key: string): void {
      backing.removeItem(KEYS.snippetDraft(key));
    },
    /** The edit token of snippet `id`, when this browser created (or forked) it. */
    loadToken(id: string): string | null {
      return backing.getItem(KEYS.token(id));
    },
    saveToken(id: string, token: string): void {
      setKept(KEYS.token(id), token);
    },
    loadLanguage(): Language {
      const stored = backing.getItem(KEYS.language);
      return LANGUAGES.find((language) => language === stored) ?? "python";
    },
    saveLanguage(language: Language): void {
      backing.setItem(KEYS.language, language);
    },
    loadRequest(): RequestDraft {
      try {
        const stored = backing.getItem(KEYS.request);
        return stored
          ? { ...DEFAULT_DRAFT, ...(JSON.parse(stored) as Partial<RequestDraft>) }
          : DEFAULT_DRAFT;
      } catch {
        return DEFAULT_DRAFT;
      }
    },
    loadFontSize(mode: FontMode): number {
      const stored = Number(backing.getItem(KEYS.fontSize(mode)));
      return stored >= FONT_SIZES.min && stored <= FONT_SIZES.max ? stored : FONT_SIZES[mode];
    },
    saveFontSize(mode: FontMode, px: number): void {
      backing.setItem(KEYS.fontSize(mode), String(px));
    },
    saveRequest(draft: RequestDraft): void {
      backing.setItem(KEYS.request, JSON.stringify(draft));
    },
  };
}

/** The page's keys, as one object the snippet session is handed. */
export type BrowserStore = ReturnType<typeof browserStore>;

/** This browser's store (`localStorage`, looked up at each call so that importing this is harmless in Node). */
export const storage: BrowserStore = browserStore({
  getItem: (key) => localStorage.getItem(key),
  setItem: (key, value) => localStorage.setItem(key, value),
  removeItem: (key) => localStorage.removeItem(key),
});
