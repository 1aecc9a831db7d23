/** Every shared handler fixture, saved through the API and called through its `/fn` endpoint. */
import { beforeAll, describe, expect, it } from "vitest";
import {
  fixtureRequestInit,
  handlerFixtures,
  responseMismatches,
} from "../fixtures/handlers/index.ts";
import { createSnippet } from "./api-client.ts";
import {
  asWireInPieces,
  callEndpoint,
  PYTHON_WARM_UP_MS,
  setSecrets,
  warmUpPython,
} from "./fn-client.ts";

beforeAll(warmUpPython, PYTHON_WARM_UP_MS);

describe.each(["python", "typescript"] as const)("%s fixtures through /fn", (language) => {
  const fixtures = handlerFixtures.filter((fixture) => fixture.language === language);

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    "%s",
    async (_name, fixture) => {
      const { id, token } = await createSnippet({ language, code: fixture.code });
      await setSecrets(id, token, fixture.env ?? {});
      const { path, query } = fixture.request;
      const response = await callEndpoint(id, `${path}${query ? `?${query}` : ""}`, {
        ...fixtureRequestInit(fixture),
      });
      // A streaming fixture's body arrives in more than one piece (its chunks are spaced in time).
      const wire = await asWireInPieces(response);
      expect(responseMismatches(fixture.response, wire)).toEqual([]);
      if (fixture.stream && wire.pieces < 2 && fixture.name !== "stream_generator") {
        expect.fail(`${fixture.name}: the body came in ${wire.pieces} piece(s)`);
      }
      expect(response.headers.get("content-security-policy")).toMatch(/^sandbox /);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    },
    60_000,
  );
});
