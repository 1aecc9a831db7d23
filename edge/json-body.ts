/**
 * Reading the JSON API's request bodies: `hono/body-limit` for the size, strict UTF-8 and JSON
 * syntax here, then `@hono/zod-validator` for the schema. Every refusal is the platform's JSON
 * error (`invalid_json` / `invalid_body` 400, `payload_too_large` 413).
 */
import { zValidator } from "@hono/zod-validator";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { LIMITS } from "../workers/limits.ts";
import { BadRequest, PayloadTooLarge } from "./errors.ts";

/**
 * Largest JSON body the API reads. JSON escaping can make code up to 6× longer (`\u0000`),
 * so this bounds memory while never refusing code that is within `LIMITS.codeBytes`.
 */
const MAX_JSON_BODY_BYTES = LIMITS.codeBytes * 6 + 64 * 1024;

/**
 * The middleware for a route with a JSON body that `schema` validates; the handler reads it with
 * `c.req.valid("json")`. With `emptyAsObject`, an empty body counts as `{}`.
 */
export function jsonBody<T extends z.ZodType>(schema: T, { emptyAsObject = false } = {}) {
  return [
    jsonText(emptyAsObject),
    zValidator("json", schema, (result) => {
      if (!result.success) throw invalidBody(result.error.issues);
    }),
  ] as const;
}

/** Counts a body that declares no length (chunked) while reading it, too. */
const limitJsonBody = bodyLimit({
  maxSize: MAX_JSON_BODY_BYTES,
  onError: () =>
    new PayloadTooLarge(`Request body is over the limit of ${MAX_JSON_BODY_BYTES} bytes`, {
      limit: MAX_JSON_BODY_BYTES,
    }).toResponse(),
});

/**
 * Reads the body as strict UTF-8 JSON text, for the validator after it. zod-validator's `json`
 * target cannot do this itself: it decodes with U+FFFD for bytes that are not UTF-8 (so saved code
 * would not be the code sent), throws a plain-text 400 for bad JSON, and reads only bodies typed
 * `application/json` (others validate as `{}`), while the API has always read any body as JSON
 * (`curl -d` sends a form type).
 */
function jsonText(emptyAsObject: boolean): MiddlewareHandler {
  return (c, next) =>
    limitJsonBody(c, async () => {
      const text = decodeUtf8(new Uint8Array(await c.req.arrayBuffer()));
      const json = emptyAsObject && text.trim() === "" ? "{}" : text;
      try {
        JSON.parse(json); // parsed again by the validator; this one gives the reason
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new BadRequest(
          `Request body is not valid JSON: ${reason}`,
          undefined,
          "invalid_json",
        );
      }
      const headers = new Headers(c.req.raw.headers);
      headers.set("content-type", "application/json");
      // The validator reads this request afresh, not the bytes cached above.
      c.req.raw = new Request(c.req.raw, { headers, body: json });
      c.req.bodyCache = {};
      await next();
    });
}

/** The body as text; bytes that are not UTF-8 are refused rather than replaced with U+FFFD. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new BadRequest("Request body is not valid UTF-8", undefined, "invalid_json");
  }
}

/** 400 naming every field the schema refused. */
function invalidBody(zodIssues: readonly z.core.$ZodIssue[]): BadRequest {
  const issues = zodIssues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  return new BadRequest(`Invalid request body: ${summary}`, { issues }, "invalid_body");
}

/** Refuses code over `LIMITS.codeBytes` (UTF-8) with 413. */
export function assertCodeSize(code: string): void {
  const size = new TextEncoder().encode(code).byteLength;
  if (size > LIMITS.codeBytes) {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(bytes % 1024 ? 1 : 0)} KB`;
    const limit = `${kb(LIMITS.codeBytes)} (${LIMITS.codeBytes.toLocaleString("en")} bytes)`;
    const said = `Code is ${kb(size)} (${size.toLocaleString("en")} bytes); the limit is ${limit}`;
    throw new PayloadTooLarge(said, {
      size,
      limit: LIMITS.codeBytes,
    });
  }
}
