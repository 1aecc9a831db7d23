/**
 * `fnpad logs`: a snippet's call log. Reads the list endpoint only (`GET /api/snippets/:id/calls`,
 * newest first, `before` cursor), and polls it for `--follow`, so it needs nothing of the live
 * WebSocket feed.
 */
import type { SnippetView } from "../workers/api-types.ts";
import { ApiError } from "./api.ts";
import { snippetRefArgument } from "./commands.ts";
import { tokenKey } from "./config.ts";
import { type Context, flag, option } from "./context.ts";
import { CliError, EXIT } from "./exit.ts";
import { type CallPage, type CallRecord, formatCall } from "./format.ts";

const POLL_MS = 1500;

/** Calls newer than `afterSeq`, oldest first, reading older pages until it reaches `afterSeq` or `limit`. */
export async function callsAfter(
  fetchPage: (before: number | null) => Promise<CallPage>,
  afterSeq: number,
  limit: number,
): Promise<CallRecord[]> {
  const newest: CallRecord[] = [];
  let before: number | null = null;
  for (;;) {
    const page = await fetchPage(before);
    for (const call of page.calls) {
      if (call.seq <= afterSeq || newest.length >= limit) return newest.reverse();
      newest.push(call);
    }
    if (page.next === null || page.calls.length === 0) return newest.reverse();
    before = page.next;
  }
}

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return 20;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new CliError(
      EXIT.usage,
      `--limit must be a positive whole number, not ${JSON.stringify(value)}`,
    );
  }
  return limit;
}

export async function logs(context: Context): Promise<void> {
  const { id } = snippetRefArgument(context.invocation.positionals[0] ?? "");
  const limit = parseLimit(option(context, "limit"));
  const token = context.config.tokens[tokenKey(context.server, id)];
  if (!token) {
    throw new CliError(
      EXIT.auth,
      `No edit token for ${id} on ${context.server} in ${context.configDir}: only the snippet's owner reads its calls`,
    );
  }
  const path = `/api/snippets/${encodeURIComponent(id)}/calls`;
  const fetchPage = async (before: number | null) => {
    try {
      return await context.api.request<CallPage>(
        "GET",
        before === null ? path : `${path}?before=${before}`,
        { token },
      );
    } catch (error) {
      throw await explainNotFound(context, id, error);
    }
  };
  const show = (calls: CallRecord[]) => {
    for (const call of calls) {
      // One JSON record per line with --json, so a script can read the stream as it comes.
      process.stdout.write(
        context.invocation.json ? `${JSON.stringify(call)}\n` : `${formatCall(call)}\n`,
      );
    }
  };
  const first = await callsAfter(fetchPage, 0, limit);
  if (first.length === 0 && !context.invocation.json) context.note(`No calls to ${id} yet`);
  show(first);
  if (!flag(context, "follow")) return;
  context.note(`Waiting for calls to ${id}… (Ctrl+C ends)`);
  let lastSeq = first.at(-1)?.seq ?? 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const calls = await callsAfter(fetchPage, lastSeq, Number.POSITIVE_INFINITY);
    show(calls);
    lastSeq = calls.at(-1)?.seq ?? lastSeq;
  }
}

/**
 * A 404 from the calls route means either no such snippet or a server without a call log (an
 * older deploy): the snippet itself tells which.
 */
async function explainNotFound(context: Context, id: string, error: unknown): Promise<unknown> {
  if (!(error instanceof ApiError) || error.status !== 404) return error;
  try {
    await context.api.request<SnippetView>("GET", `/api/snippets/${encodeURIComponent(id)}`);
  } catch (lookup) {
    return lookup;
  }
  return new CliError(
    EXIT.noCallLog,
    `${context.server} has no call log (GET /api/snippets/:id/calls answered 404): it runs an fnpad without one`,
  );
}
