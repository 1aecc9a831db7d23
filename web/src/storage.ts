import type { Language } from "../../workers/protocol.ts";
import { LANGUAGES } from "../../workers/protocol.ts";
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
};

export function loadCode(language: Language): string {
  return localStorage.getItem(KEYS.code(language)) ?? STARTERS[language];
}

export function saveCode(language: Language, code: string): void {
  localStorage.setItem(KEYS.code(language), code);
}

/** Forgets a new snippet's code once it is saved, so the next new one starts from the starter. */
export function clearCode(language: Language): void {
  localStorage.removeItem(KEYS.code(language));
}

/** Unsaved edits of a saved snippet (`key` is its id, or `id@version`); `null` when there are none. */
export function loadSnippetDraft(key: string): string | null {
  return localStorage.getItem(KEYS.snippetDraft(key));
}

export function saveSnippetDraft(key: string, code: string): void {
  localStorage.setItem(KEYS.snippetDraft(key), code);
}

export function clearSnippetDraft(key: string): void {
  localStorage.removeItem(KEYS.snippetDraft(key));
}

/** The edit token of snippet `id`, when this browser created (or forked) it. */
export function loadToken(id: string): string | null {
  return localStorage.getItem(KEYS.token(id));
}

export function saveToken(id: string, token: string): void {
  localStorage.setItem(KEYS.token(id), token);
}

export function loadLanguage(): Language {
  const stored = localStorage.getItem(KEYS.language);
  return LANGUAGES.find((language) => language === stored) ?? "python";
}

export function saveLanguage(language: Language): void {
  localStorage.setItem(KEYS.language, language);
}

export function loadRequest(): RequestDraft {
  try {
    const stored = localStorage.getItem(KEYS.request);
    return stored
      ? { ...DEFAULT_DRAFT, ...(JSON.parse(stored) as Partial<RequestDraft>) }
      : DEFAULT_DRAFT;
  } catch {
    return DEFAULT_DRAFT;
  }
}

export function saveRequest(draft: RequestDraft): void {
  localStorage.setItem(KEYS.request, JSON.stringify(draft));
}
