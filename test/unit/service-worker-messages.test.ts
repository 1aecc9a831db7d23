import { expect, test } from "vitest";
import { CACHE_NAME_QUERY as askedByPage } from "../../web/src/offline.ts";
import { CACHE_NAME_QUERY as answeredByWorker } from "../../web/sw/messages.ts";

test("the page asks its service worker for its cache in the words the worker answers", () => {
  // Different words would not break the page (it fetches after a wait), only slow every visit.
  expect(askedByPage).toBe(answeredByWorker);
});
