import type { z } from "zod";
import { LIMITS } from "../workers/protocol.ts";
import { BadRequest, PayloadTooLarge } from "./errors.ts";
import { readBodyWithin } from "./sandbox/body.ts";

/**
 * Largest JSON body the API reads. JSON escaping can make code up to 6× longer (`\u0000`),
 * so this bounds memory while never refusing code that is within `LIMITS.codeBytes`.
 */
const MAX_JSON_BODY_BYTES = LIMITS.codeBytes * 6 + 64 * 1024;

/** Reads a JSON request body and validates it; an empty body counts as `{}` when `emptyAsObject`. */
export async function readJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
  { emptyAsObject = false } = {},
): Promise<z.infer<T>> {
  // Counted while reading too: a chunked body declares no length.
  const bytes = await readBodyWithin(request, MAX_JSON_BODY_BYTES);
  if (bytes === "too large") throw tooLarge();

  const text = bytes ? decodeUtf8(bytes) : "";
  let value: unknown;
  if (text.trim() === "" && emptyAsObject) {
    value = {};
  } else {
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BadRequest(`Request body is not valid JSON: ${reason}`, undefined, "invalid_json");
    }
  }

  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    throw new BadRequest(`Invalid request body: ${summary}`, { issues }, "invalid_body");
  }
  return parsed.data;
}

/** The body as text; bytes that are not UTF-8 are refused rather than replaced with U+FFFD. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new BadRequest("Request body is not valid UTF-8", undefined, "invalid_json");
  }
}

/** Refuses code over `LIMITS.codeBytes` (UTF-8) with 413. */
export function assertCodeSize(code: string): void {
  const size = new TextEncoder().encode(code).byteLength;
  if (size > LIMITS.codeBytes) {
    throw new PayloadTooLarge(`Code is ${size} bytes; the limit is ${LIMITS.codeBytes} bytes`, {
      size,
      limit: LIMITS.codeBytes,
    });
  }
}

function tooLarge(): PayloadTooLarge {
  return new PayloadTooLarge(`Request body is over the limit of ${MAX_JSON_BODY_BYTES} bytes`, {
    limit: MAX_JSON_BODY_BYTES,
  });
}
