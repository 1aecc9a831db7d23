import type { ApiErrorBody } from "../workers/api-types.ts";
import { ERROR_SOURCE_HEADER } from "../workers/platform-headers.ts";

/**
 * An error the platform answers with a status code and a JSON body.
 * Every response it makes is marked as the platform's (not the snippet handler's).
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: unknown,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  toResponse(): Response {
    const body: ApiErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return Response.json(body, {
      status: this.status,
      headers: { ...this.headers, [ERROR_SOURCE_HEADER]: "platform" },
    });
  }
}

export class BadRequest extends HttpError {
  constructor(message: string, details?: unknown, code = "bad_request") {
    super(400, code, message, details);
  }
}

export class Unauthorized extends HttpError {
  constructor(message: string) {
    // The challenge tells clients which scheme to retry with (RFC 6750).
    super(401, "unauthorized", message, undefined, { "www-authenticate": 'Bearer realm="fnpad"' });
  }
}

export class Forbidden extends HttpError {
  constructor(message: string) {
    super(403, "forbidden", message);
  }
}

export class NotFound extends HttpError {
  constructor(message: string) {
    super(404, "not_found", message);
  }
}

export class Gone extends HttpError {
  constructor(message: string) {
    super(410, "gone", message);
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(message: string, details?: unknown) {
    super(413, "payload_too_large", message, details);
  }
}

/** Well-formed input the server cannot use, e.g. TypeScript with a syntax error. */
export class UnprocessableEntity extends HttpError {
  constructor(code: string, message: string, details?: unknown) {
    super(422, code, message, details);
  }
}

/** Past a rate limit; `Retry-After` says when to try again, in seconds. */
export class TooManyRequests extends HttpError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, "too_many_requests", message, undefined, {
      "retry-after": String(retryAfterSeconds),
    });
  }
}

/** A part of the server is not configured, e.g. no `ENV_KEY` for secrets. */
export class ServiceUnavailable extends HttpError {
  constructor(code: string, message: string) {
    super(503, code, message);
  }
}

export class InternalError extends HttpError {
  constructor(message = "Internal error") {
    super(500, "internal", message);
  }
}
