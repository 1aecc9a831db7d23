/** The owner's page's client of a snippet's call log: one page by HTTP, then the live socket. */
import {
  CALL_FEED_PROTOCOL,
  CALL_TOKEN_PROTOCOL_PREFIX,
  type CallFeedMessage,
  type CallFeedRequest,
  type CallPage,
  type CallRecord,
} from "../../../workers/call-log-types.ts";

/** The newest calls of snippet `id` (the token goes in a header, as for every change). */
export async function listCalls(id: string, token: string): Promise<CallPage> {
  const response = await fetch(`/api/snippets/${encodeURIComponent(id)}/calls`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`The call log answered ${response.status}`);
  return response.json() as Promise<CallPage>;
}

/**
 * Opens the live channel. The token travels as a subprotocol (a header): browsers cannot set
 * others on a WebSocket, and a URL would leave it in logs. `since()` is the newest call the page
 * has when the socket opens, so the calls recorded in between arrive too.
 */
export function openCallFeed(
  id: string,
  token: string,
  since: () => number,
  onCalls: (calls: CallRecord[]) => void,
): WebSocket {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${location.host}/api/snippets/${encodeURIComponent(id)}/calls/live`;
  const socket = new WebSocket(url, [CALL_FEED_PROTOCOL, `${CALL_TOKEN_PROTOCOL_PREFIX}${token}`]);
  socket.addEventListener("open", () => {
    const request: CallFeedRequest = { type: "since", seq: since() };
    socket.send(JSON.stringify(request));
  });
  socket.addEventListener("message", (event) => {
    try {
      const message = JSON.parse(String(event.data)) as CallFeedMessage;
      if (message.type === "calls" && Array.isArray(message.calls)) onCalls(message.calls);
    } catch {
      // Not the log's JSON: ignored; the next message may be.
    }
  });
  return socket;
}
