/** The allow-list of response headers that leave an endpoint. */
import { describe, expect, it } from "vitest";
import { endpointHeaders, isEndpointHeader } from "../../edge/sandbox/response-headers.ts";
import { ERROR_SOURCE_HEADER } from "../../workers/platform-headers.ts";
import { DROPPED_HEADERS, KEPT_HEADERS } from "../fixtures/policy/endpoint-headers.ts";

describe("endpoint response headers", () => {
  it.each(DROPPED_HEADERS)("drops %s", (name) => {
    expect(isEndpointHeader(name)).toBe(false);
    expect(isEndpointHeader(name.toUpperCase())).toBe(false);
  });

  it.each(KEPT_HEADERS)("keeps %s", (name) => {
    expect(isEndpointHeader(name)).toBe(true);
    expect(isEndpointHeader(name.toUpperCase())).toBe(true);
  });

  it("leaves framing to the runtime", () => {
    for (const name of ["content-length", "transfer-encoding", "content-encoding", "connection"]) {
      expect(isEndpointHeader(name)).toBe(false);
    }
  });

  it("keeps the error marker the glue in the isolate sets, and no other x-fnpad- name", () => {
    expect(isEndpointHeader(ERROR_SOURCE_HEADER)).toBe(true);
    expect(isEndpointHeader("x-fnpad-other")).toBe(false);
  });

  it("keeps the order and repeats of the headers it lets through", () => {
    const headers: [string, string][] = [
      ["x-a", "1"],
      ["set-cookie", "a=1"],
      ["content-type", "text/plain"],
      ["x-a", "2"],
    ];
    expect(endpointHeaders(headers)).toEqual([
      ["x-a", "1"],
      ["content-type", "text/plain"],
      ["x-a", "2"],
    ]);
  });
});
