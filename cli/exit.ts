import { STOPPED_STATUS } from "../workers/http.ts";
import { ERROR_SOURCE_HEADER } from "../workers/platform-headers.ts";
import type { RunResult } from "../workers/runtime-protocol.ts";

/** Exit codes say what failed, so scripts can tell a typo from a missing snippet or a dead server. */
export const EXIT = {
  ok: 0,
  /** Bad arguments, an unreadable file, a language the file's extension does not tell. */
  usage: 1,
  /** No such snippet or version, or it was deleted. */
  notFound: 2,
  /** No edit token in the config for this snippet, or the server refused the one there. */
  auth: 3,
  /** The server (or the local size check) refused the input: compile error, too large, invalid. */
  refused: 4,
  /** The server could not be reached, or failed (5xx, an answer that is not fnpad's). */
  server: 5,
  /** `run`: the handler threw (its 500 response is printed). */
  handlerError: 6,
  /** `run`: the run was stopped by its time or work budget (503). */
  stopped: 7,
  /** `logs`: this server has no call log. */
  noCallLog: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure to report in one message and end with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** The exit code for an API error status. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 404 || status === 410) return EXIT.notFound;
  if (status === 401 || status === 403) return EXIT.auth;
  if (status >= 400 && status < 500) return EXIT.refused;
  return EXIT.server;
}

/**
 * The exit code of a local run. Statuses the handler chose (a 404, a 500 it made) are a success;
 * failing is its exception, a response fnpad refused (over 8 MiB), or a stopped run.
 */
export function runExitCode(result: Pick<RunResult, "response" | "error">): ExitCode {
  if (result.error) return EXIT.handlerError;
  const source = new Headers(result.response.headers).get(ERROR_SOURCE_HEADER);
  if (source !== "platform") return EXIT.ok;
  return result.response.status === STOPPED_STATUS ? EXIT.stopped : EXIT.handlerError;
}
