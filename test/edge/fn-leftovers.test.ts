/**
 * What a call leaves behind ends with it at the edge: the behaviour the browser's workers match
 * (`workers/typescript/run-timers.ts`, the Python adapter's leftover tasks).
 */
import { expect, it } from "vitest";
import { createSnippet } from "./api-client.ts";
import { callEndpoint } from "./fn-client.ts";

it("a TypeScript handler's interval ends with its call; its module state lives on", async () => {
  const code = [
    "let ticks = 0;",
    "let calls = 0;",
    "export default () => {",
    "  calls += 1;",
    "  setInterval(() => ticks++, 5);",
    '  return [calls, ticks].join(" ");',
    "};",
    "",
  ].join("\n");
  const { id } = await createSnippet({ language: "typescript", code });
  expect(await (await callEndpoint(id)).text()).toBe("1 0");
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await (await callEndpoint(id)).text()).toBe("2 0");
});
