/** Builds wire requests for unit tests. */
import type { WireRequest } from "../../workers/runtime-protocol.ts";

export function getRequest(path = "/", query = ""): WireRequest {
  const url = `https://fnpad.test/fn/unit${path}${query ? `?${query}` : ""}`;
  return { method: "GET", url, path, query, headers: [], body: new Uint8Array() };
}

export function responseText(body: Uint8Array): string {
  return new TextDecoder().decode(body);
}

export function responseJson(body: Uint8Array): unknown {
  return JSON.parse(responseText(body));
}
