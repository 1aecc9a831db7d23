/**
 * A snippet's call log, for its owner only (the edit token, checked as for every change):
 * `GET /api/snippets/:id/calls?before=<seq>` pages through the kept calls, newest first, and
 * `GET /api/snippets/:id/calls/live` upgrades to a WebSocket that gets each new call. Browsers
 * cannot set headers on a WebSocket, so the token rides in `Sec-WebSocket-Protocol` (never in the
 * URL, which ends up in logs and history); it is checked before the upgrade, so no socket ever
 * opens unauthenticated.
 */
import { Hono } from "hono";
import { CALL_FEED_PROTOCOL, CALL_TOKEN_PROTOCOL_PREFIX } from "../../workers/call-log-types.ts";
import { CALL_LOG } from "../../workers/limits.ts";
import { callLog } from "../calls/hook.ts";
import { BadRequest, HttpError, Unauthorized } from "../errors.ts";
import { authorize, bearerToken, liveSnippet } from "./snippets.ts";

const calls = new Hono<{ Bindings: Env }>();

calls.get("/:id/calls", async (c) => {
  const token = bearerToken(c);
  const record = await liveSnippet(c.env.DB, c.req.param("id"));
  await authorize(token, record);
  const before = c.req.query("before");
  if (before !== undefined && !/^[1-9][0-9]{0,15}$/.test(before))
    throw new BadRequest("before must be a positive integer (a call's seq)");
  const limit = Number(c.req.query("limit") ?? CALL_LOG.pageSize);
  const page = await callLog(c.env, record.id).list(
    before === undefined ? null : Number(before),
    Number.isInteger(limit) ? limit : CALL_LOG.pageSize,
  );
  return c.json(page);
});

calls.get("/:id/calls/live", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
    throw new HttpError(426, "upgrade_required", "This is a WebSocket: connect with Upgrade");
  const offered = (c.req.header("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
  const token = offered
    .find((protocol) => protocol.startsWith(CALL_TOKEN_PROTOCOL_PREFIX))
    ?.slice(CALL_TOKEN_PROTOCOL_PREFIX.length);
  if (!offered.includes(CALL_FEED_PROTOCOL) || !token) {
    throw new Unauthorized(
      `Offer the subprotocols ${CALL_FEED_PROTOCOL} and ${CALL_TOKEN_PROTOCOL_PREFIX}<edit token>`,
    );
  }
  const record = await liveSnippet(c.env.DB, c.req.param("id"));
  await authorize(token, record);
  // The log gets a bare upgrade: the token stops here.
  return callLog(c.env, record.id).fetch("https://call-log/live", {
    headers: { upgrade: "websocket" },
  });
});

export default calls;
