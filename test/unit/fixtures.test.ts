/** Every shared fixture through the real runtimes in Node: Pyodide from npm, sucrase + acorn. */
import { loadPyodide } from "pyodide";
import { describe, expect, it } from "vitest";
import { PythonRuntime } from "../../workers/python/runtime.ts";
import type { LanguageRuntime, StreamPart } from "../../workers/runtime-protocol.ts";
import { compiledWith, importFromDataUrl } from "../../workers/typescript/importers.ts";
import { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";
import {
  fixtureWireRequest,
  handlerFixtures,
  responseMismatches,
} from "../fixtures/handlers/index.ts";

const runtimes: Record<string, LanguageRuntime> = {
  python: new PythonRuntime(() => loadPyodide()),
  typescript: new TypeScriptRuntime(compiledWith(importFromDataUrl)),
};

describe.each(["python", "typescript"])("%s fixtures", (language) => {
  const fixtures = handlerFixtures.filter((fixture) => fixture.language === language);

  it("has at least 12 fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    "%s",
    async (_name, fixture) => {
      const runtime = runtimes[language];
      if (!runtime) throw new Error(`no runtime for ${language}`);
      const request = fixtureWireRequest(fixture);
      const parts: StreamPart[] = [];
      const result = await runtime.run(fixture.code, request, undefined, fixture.env, (part) =>
        parts.push(part),
      );
      expect(responseMismatches(fixture.response, result.response)).toEqual([]);
      // A streaming fixture's chunks each arrive on their own, after the head; others stream nothing.
      const chunks = parts.flatMap((part) =>
        part.type === "chunk" ? [new TextDecoder().decode(part.bytes)] : [],
      );
      expect(chunks).toEqual(fixture.stream?.chunks ?? []);
      expect(result.streamed).toBe(fixture.stream ? true : undefined);
      if (fixture.stream) expect(parts[0]).toMatchObject({ type: "head", status: 200 });
      if (fixture.logs) {
        expect(result.logs.map(({ stream, text }) => ({ stream, text }))).toEqual(fixture.logs);
      }
      // A second run of the same code uses the cached handler and answers the same.
      const again = await runtime.run(
        fixture.code,
        fixtureWireRequest(fixture),
        undefined,
        fixture.env,
      );
      expect(responseMismatches(fixture.response, again.response)).toEqual([]);
    },
  );
});
