/** The page's one client of the JSON API (`/api/snippets`); every call goes through `call`. */
import type {
  ApiErrorBody,
  CreatedSnippet,
  EnvEntryView,
  EnvListView,
  EnvNamesView,
  EnvRevealView,
  RateLimits,
  RateLimitsView,
  SavedRequest,
  SnippetVersionView,
  SnippetView,
  VersionSummary,
} from "../../workers/api-types.ts";
import type { HandlerEnv, Language } from "../../workers/runtime-protocol.ts";

/** What is saved beside the code; an omitted field keeps what the snippet has. */
export interface SnippetMeta {
  title?: string;
  description?: string;
  request?: SavedRequest | null;
}

/** Status of an `ApiError` when the server could not be reached at all. */
export const UNREACHABLE = 0;

/** A failed API call: the server's error (status, code, message, details) or no answer at all. */
export class ApiError extends Error {
  /** HTTP status, or `UNREACHABLE` (0) when the request never got an answer. */
  readonly status: number;
  /** The error body's code (`compile_error`, `forbidden`, …), `unreachable` or `bad_response`. */
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`/api/snippets${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(UNREACHABLE, "unreachable", String(error));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A proxy's or a crashed server's page rather than the API's JSON.
    throw new ApiError(response.status, "bad_response", text.slice(0, 200) || response.statusText);
  }
  if (!response.ok) {
    const error = (parsed as Partial<ApiErrorBody>).error;
    throw new ApiError(
      response.status,
      error?.code ?? "error",
      error?.message ?? response.statusText,
      error?.details,
    );
  }
  return parsed as T;
}

/**
 * Refuses code that can never run the way the API would (a 422 with the same message), before
 * sending it: the API's own checker, loaded when first needed (the TypeScript one compiles).
 */
async function checkBeforeSave(language: Language, code: string): Promise<void> {
  let checker: typeof import("../../workers/check.ts");
  try {
    checker = await import("../../workers/check.ts");
  } catch {
    // Not loaded yet and the server is out of reach: the save itself will say so (and the server
    // makes the same check when it is back).
    return;
  }
  const { checkSource, problemMessage } = checker;
  const problem = checkSource(language, code);
  if (!problem) return;
  const { code: errorCode, message: _message, ...details } = problem;
  throw new ApiError(422, errorCode, problemMessage(problem), details);
}

/** Saves new code as a new snippet; the reply holds its edit token. */
export async function createSnippet(
  language: Language,
  code: string,
  meta: SnippetMeta = {},
): Promise<CreatedSnippet> {
  await checkBeforeSave(language, code);
  return call("POST", "", { language, code, ...meta });
}

/** The snippet's latest version. */
export function getSnippet(id: string): Promise<SnippetView> {
  return call("GET", `/${encodeURIComponent(id)}`);
}

/** Saves `code` as the snippet's next version; needs its edit token. Checked first when `language` is given. */
export async function updateSnippet(
  id: string,
  token: string,
  code: string,
  meta: SnippetMeta = {},
  language?: Language,
): Promise<SnippetView> {
  if (language) await checkBeforeSave(language, code);
  return call("PUT", `/${encodeURIComponent(id)}`, { code, ...meta }, token);
}

/** The snippet's versions, newest first. */
export async function listVersions(id: string): Promise<VersionSummary[]> {
  const reply = await call<{ versions: VersionSummary[] }>(
    "GET",
    `/${encodeURIComponent(id)}/versions`,
  );
  return reply.versions;
}

/** One version of a snippet. */
export function getVersion(id: string, version: number): Promise<SnippetVersionView> {
  return call("GET", `/${encodeURIComponent(id)}/versions/${version}`);
}

/** Copies a version (the latest by default) into a new snippet owned by whoever holds the reply's token. */
export function forkSnippet(id: string, version?: number): Promise<CreatedSnippet> {
  return call("POST", `/${encodeURIComponent(id)}/fork`, version ? { version } : {});
}

/** Pins the public endpoint `/fn/:id` to `version`, or with `null` back to the latest; needs the edit token. */
export function freezeSnippet(
  id: string,
  token: string,
  version: number | null,
): Promise<SnippetView> {
  const path = `/${encodeURIComponent(id)}/freeze`;
  return version === null
    ? call("DELETE", path, undefined, token)
    : call("PUT", path, { version }, token);
}

/** The endpoint's rate limits and what they refused; owner only. */
export function getLimits(id: string, token: string): Promise<RateLimitsView> {
  return call("GET", `/${encodeURIComponent(id)}/limits`, undefined, token);
}

/** Changes the endpoint's rate limits (`null`: the default); owner only. */
export function putLimits(
  id: string,
  token: string,
  limits: { [K in keyof RateLimits]?: number | null },
): Promise<RateLimitsView> {
  return call("PUT", `/${encodeURIComponent(id)}/limits`, limits, token);
}

const envPath = (id: string, rest = "") => `/${encodeURIComponent(id)}/env${rest}`;

/** The snippet's variables and secrets (names, kinds, variables' values); owner only. */
export async function listEnv(id: string, token: string): Promise<EnvEntryView[]> {
  return (await call<EnvListView>("GET", envPath(id), undefined, token)).entries;
}

/** The names alone (public, as a fork's are): a visitor's runs get them with empty values. */
export async function envNames(id: string): Promise<string[]> {
  return (await call<EnvNamesView>("GET", envPath(id, "/names"))).names;
}

/** Every value, secrets included, for the owner's runs in this browser (kept in memory only). */
export async function revealEnv(id: string, token: string): Promise<HandlerEnv> {
  return (await call<EnvRevealView>("POST", envPath(id, "/reveal"), undefined, token)).env;
}

/** Adds or replaces one variable or secret. */
export function putEnv(
  id: string,
  token: string,
  name: string,
  value: string,
  secret: boolean,
): Promise<EnvEntryView> {
  return call("PUT", envPath(id, `/${encodeURIComponent(name)}`), { value, secret }, token);
}

/** Deletes one variable or secret. */
export function deleteEnv(id: string, token: string, name: string): Promise<void> {
  return call("DELETE", envPath(id, `/${encodeURIComponent(name)}`), undefined, token);
}
