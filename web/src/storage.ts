import type { Language } from "../../workers/runtime-protocol.ts";
import { LANGUAGES } from "../../workers/runtime-protocol.ts";
import { DEFAULT_DRAFT, type RequestDraft } from "./request-draft.ts";
import { STARTERS } from "./starters.ts";

/**
 * What the page keeps across reloads: the unsaved code of a new snippet per language, the language,
 * the request, each saved snippet's unsaved edits (per id, or `id@version` for an older version),
 * and the edit tokens of the snippets this browser created.
 */
const KEYS = {
  code: (language: Language) => `fnpad:code:${language}`,
  language: "fnpad:language",
  request: "fnpad:request",
  snippetDraft: (key: string) => `fnpad:draft:${key}`,
  token: (id: string) => `fnpad:token:${id}`,
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

/** The page's keys over `backing`. */
export function browserStore(backing: KeyValueStore) {
  return {
    loadCode(language: Language): string {
      return backing.getItem(KEYS.code(language)) ?? STARTERS[language];
    },
    saveCode(language: Language, code: string): void {
      backing.setItem(KEYS.code(language), code);
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
      backing.setItem(KEYS.snippetDraft(key), code);
    },
    clearSnippetDraft(key: string): void {
      backing.removeItem(KEYS.snippetDraft(key));
    },
    /** The edit token of snippet `id`, when this browser created (or forked) it. */
    loadToken(id: string): string | null {
      return backing.getItem(KEYS.token(id));
    },
    saveToken(id: string, token: string): void {
      backing.setItem(KEYS.token(id), token);
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
