/** A small client of the JSON API that turns every failure into a `CliError` with its exit code. */
import type { ApiErrorBody } from "../workers/api-types.ts";
import { CliError, EXIT, exitCodeForStatus } from "./exit.ts";

/** An error answer of the API, kept whole so callers can look at its status and code. */
export class ApiError extends CliError {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(exitCodeForStatus(status), message);
    this.status = status;
    this.code = code;
  }
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
}

/** The server's origin from `--server` / `FNPAD_SERVER`: a usage error when it is not an http(s) URL. */
export function serverOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(
      EXIT.usage,
      `--server must be a URL such as http://localhost:8787, not ${JSON.stringify(value)}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(EXIT.usage, `--server must be an http(s) URL, not ${JSON.stringify(value)}`);
  }
  return url.origin;
}

/** One line per problem in an API error: its message, then a compile error's line or each invalid field. */
export function describeApiError(status: number, body: ApiErrorBody["error"]): string {
  const lines = [`${body.message} (${status} ${body.code})`];
  const details = body.details as { issues?: { path?: unknown[]; message?: string }[] } | undefined;
  for (const issue of details?.issues ?? []) {
    const at = issue.path?.length ? `${issue.path.join(".")}: ` : "";
    lines.push(`  ${at}${issue.message ?? "invalid"}`);
  }
  return lines.join("\n");
}

export class Api {
  readonly server: string;

  constructor(server: string) {
    this.server = server;
  }

  /** Sends one request; resolves to the parsed JSON (undefined for 204), throws `CliError` otherwise. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await fetch(`${this.server}${path}`, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
      });
    } catch (error) {
      // fetch() says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, bad port…).
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(
        EXIT.server,
        `Cannot reach the fnpad server at ${this.server} (${why}). Is it running (npm run dev)? Choose another with --server or FNPAD_SERVER.`,
      );
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError(
        EXIT.server,
        `${this.server} answered ${method} ${path} with ${response.status} and no JSON: is it an fnpad server?`,
      );
    }
    if (response.ok) return parsed as T;
    const error = (parsed as Partial<ApiErrorBody>).error;
    if (!error || typeof error.message !== "string") {
      throw new CliError(
        exitCodeForStatus(response.status),
        `${method} ${path} failed: ${response.status}`,
      );
    }
    throw new ApiError(response.status, error.code, describeApiError(response.status, error));
  }
}
