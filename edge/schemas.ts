import { z } from "zod";
import { ENV_LIMITS, ENV_NAME_PATTERN, LIMITS, RATE_LIMITS } from "../workers/limits.ts";
import { LANGUAGES } from "../workers/runtime-protocol.ts";
import { isVersionNumber, MAX_VERSION } from "../workers/snippet-ref.ts";

/** A UTF-16 code unit of a surrogate pair with no partner (`/u` matches paired ones as one code point). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * A string that can be stored and served as UTF-8 as it is. JSON lets `"\ud800"` through; D1 and
 * every encoder would silently turn it into U+FFFD, so the code someone saved would not be the
 * code that runs.
 */
function wellFormedString(field: string) {
  return z.string().refine((text) => !LONE_SURROGATE.test(text), {
    message: `${field} contains a lone surrogate (half of a UTF-16 pair), which is not valid Unicode`,
  });
}

// Code size is checked after parsing (see `assertCodeSize`), because it answers 413, not 400.
const code = wellFormedString("code").min(1, "code must not be empty");
const title = wellFormedString("title").max(
  LIMITS.titleChars,
  `title must be at most ${LIMITS.titleChars} characters`,
);

const description = wellFormedString("description").max(
  LIMITS.descriptionChars,
  `description must be at most ${LIMITS.descriptionChars} characters`,
);

const RequestRow = z.object({
  enabled: z.boolean(),
  name: wellFormedString("a row's name").max(256),
  value: wellFormedString("a row's value").max(8192),
});

/** Characters that would end a header line (or the request) where a client sends this row. */
const HEADER_LINE_BREAK = /[\r\n\0]/;

/**
 * A header row. The builder keeps a name it cannot send yet (`bad header` while it is typed, with
 * a warning), but no input there makes a line break: one stored would be sent by Copy as curl.
 */
const HeaderRow = RequestRow.refine(
  (row) => !HEADER_LINE_BREAK.test(row.name) && !HEADER_LINE_BREAK.test(row.value),
  { message: "a header row's name and value must not contain line breaks or NUL" },
);

/** The request builder's contents, saved with a snippet (`SavedRequest` in `api-types.ts`). */
export const SavedRequest = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]),
  path: wellFormedString("path").max(2048),
  query: z.array(RequestRow).max(50),
  headers: z.array(HeaderRow).max(50),
  body: wellFormedString("body").max(LIMITS.savedRequestBodyChars),
  bodyEncoding: z.enum(["text", "base64"]),
});
export type SavedRequest = z.infer<typeof SavedRequest>;

/** Body of `POST /api/snippets`. */
export const CreateSnippet = z.object({
  language: z.enum(LANGUAGES),
  code,
  title: title.optional(),
  description: description.optional(),
  request: SavedRequest.nullable().optional(),
});
export type CreateSnippet = z.infer<typeof CreateSnippet>;

/** Body of `PUT /api/snippets/:id`; a missing title, description or request keeps the current one. */
export const UpdateSnippet = z.object({
  code,
  title: title.optional(),
  description: description.optional(),
  request: SavedRequest.nullable().optional(),
});
export type UpdateSnippet = z.infer<typeof UpdateSnippet>;

/** A version number in a JSON body: the same range as in a URL (`snippet-ref.ts`). */
const versionNumber = z
  .number()
  .int()
  .min(1, "version must be a positive integer")
  .max(MAX_VERSION, `version must be at most ${MAX_VERSION}`);

/** Body of `POST /api/snippets/:id/fork` (may be empty): which version to fork, and a new title. */
export const ForkSnippet = z.object({
  version: versionNumber.optional(),
  title: title.optional(),
});
export type ForkSnippet = z.infer<typeof ForkSnippet>;

/** Body of `PUT /api/snippets/:id/freeze` (may be empty: the latest version). */
export const FreezeSnippet = z.object({ version: versionNumber.optional() });
export type FreezeSnippet = z.infer<typeof FreezeSnippet>;

/** A version number in a URL path: plain decimal digits, no sign, exponent or leading zero. */
export const VersionParam = z
  .string()
  .refine(isVersionNumber, "version must be a positive integer")
  .transform(Number);

/** An env variable's or secret's name, as it appears in `/api/snippets/:id/env/:name`. */
export const EnvName = z
  .string()
  .max(ENV_LIMITS.nameChars, `a name is at most ${ENV_LIMITS.nameChars} characters`)
  .regex(ENV_NAME_PATTERN, "a name is upper-case letters, digits and _, not starting with a digit");

/**
 * Body of `PUT /api/snippets/:id/env/:name`: the value and whether it is a secret. The value's
 * size is checked after parsing (it answers 413, not 400).
 */
export const PutEnvEntry = z.object({
  value: wellFormedString("value"),
  secret: z.boolean().default(false),
});
export type PutEnvEntry = z.infer<typeof PutEnvEntry>;

/** One rate limit in calls a minute, within the bounds; `null` puts back the default. */
const callsPerMinute = (which: string) =>
  z
    .number(`${which} must be a whole number of calls a minute, or null for the default`)
    .int(`${which} must be a whole number of calls a minute`)
    .min(RATE_LIMITS.min, `${which} must be at least ${RATE_LIMITS.min} calls a minute`)
    .max(RATE_LIMITS.max, `${which} must be at most ${RATE_LIMITS.max} calls a minute`)
    .nullable()
    .optional();

/**
 * Body of `PUT /api/snippets/:id/limits`: an omitted limit is kept, `null` is the default.
 * Strict, so a misspelt name is an error rather than a change that silently did not happen.
 */
export const PutRateLimits = z.strictObject({
  perClient: callsPerMinute("perClient"),
  perSnippet: callsPerMinute("perSnippet"),
});
export type PutRateLimits = z.infer<typeof PutRateLimits>;
