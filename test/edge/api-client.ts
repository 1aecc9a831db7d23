import { exports } from "cloudflare:workers";
import type { CreatedSnippet } from "../../workers/api-types.ts";
import type { Language } from "../../workers/runtime-protocol.ts";

/** The origin test requests are made to; response URLs are built from it. */
export const ORIGIN = "https://fnpad.test";

export interface ApiRequest {
  /** A value to send as JSON, or a string sent as it is. */
  body?: unknown;
  /** Edit token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

/** Sends a request to the app itself, inside workerd, through its default export. */
export function api(method: string, path: string, request: ApiRequest = {}): Promise<Response> {
  const headers = new Headers(request.headers);
  if (request.token !== undefined) headers.set("authorization", `Bearer ${request.token}`);
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === "string" ? request.body : JSON.stringify(request.body);
    headers.set("content-type", "application/json");
  }
  return exports.default.fetch(`${ORIGIN}${path}`, { method, headers, body });
}

/** Creates a snippet through the API and returns the 201 reply. */
export async function createSnippet(
  fields: { language?: Language; code?: string; title?: string } = {},
): Promise<CreatedSnippet> {
  const response = await api("POST", "/api/snippets", {
    body: { language: "python", code: PYTHON_HELLO, ...fields },
  });
  if (response.status !== 201) {
    throw new Error(`create answered ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

export const PYTHON_HELLO = 'def handler(request):\n    return {"hello": "world"}\n';
export const TS_HELLO =
  'export default function handler(req: Request): Response {\n  return new Response("hi");\n}\n';
