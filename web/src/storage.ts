import type { Language } from "../../workers/protocol.ts";
import { LANGUAGES } from "../../workers/protocol.ts";
import { DEFAULT_DRAFT, type RequestDraft } from "./request-draft.ts";
import { STARTERS } from "./starters.ts";

/** What the page keeps across reloads: the unsaved code per language, the language, the request. */
const KEYS = {
  code: (language: Language) => `fnpad:code:${language}`,
  language: "fnpad:language",
  request: "fnpad:request",
};

export function loadCode(language: Language): string {
  return localStorage.getItem(KEYS.code(language)) ?? STARTERS[language];
}

export function saveCode(language: Language, code: string): void {
  localStorage.setItem(KEYS.code(language), code);
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
