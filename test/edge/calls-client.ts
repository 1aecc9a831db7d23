/** Reading a snippet's call log in workerd tests, as its owner's page does. */
import { exports } from "cloudflare:workers";
import {
  CALL_FEED_PROTOCOL,
  CALL_TOKEN_PROTOCOL_PREFIX,
  type CallFeedMessage,
  type CallPage,
  type CallRecord,
} from "../../workers/call-log-types.ts";
import { api, ORIGIN } from "./api-client.ts";

/** One page of the log (`before` a seq), read with `token`. */
export async function listCalls(id: string, token: string, before?: number): Promise<CallPage> {
  const query = before === undefined ? "" : `?before=${before}`;
  const response = await api("GET", `/api/snippets/${id}/calls${query}`, { token });
  if (response.status !== 200) throw new Error(`list answered ${response.status}`);
  return response.json();
}

/** The log once it holds `count` calls: recording happens after the response (`waitUntil`). */
export async function callsOnce(id: string, token: string, count: number): Promise<CallRecord[]> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { calls } = await listCalls(id, token);
    if (calls.length >= count) return calls;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the log never held ${count} calls`);
}

/** Asks for the live channel with these subprotocols (`token` as the feed's second one). */
export function openLive(id: string, protocols: string[]): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}/api/snippets/${id}/calls/live`, {
    headers: { upgrade: "websocket", "sec-websocket-protocol": protocols.join(", ") },
  });
}

/** The subprotocols an owner's page offers. */
export const ownerProtocols = (token: string) => [
  CALL_FEED_PROTOCOL,
  `${CALL_TOKEN_PROTOCOL_PREFIX}${token}`,
];

/** An accepted socket's messages, as they come. */
export function feed(response: Response): { socket: WebSocket; next(): Promise<CallFeedMessage> } {
  const socket = response.webSocket;
  if (!socket) throw new Error(`no WebSocket (status ${response.status})`);
  socket.accept();
  const queue: CallFeedMessage[] = [];
  const waiting: ((message: CallFeedMessage) => void)[] = [];
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as CallFeedMessage;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  return {
    socket,
    next: () => {
      const queued = queue.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}
