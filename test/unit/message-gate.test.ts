/** The page's door for the runner's messages (`web/src/run/message-gate.ts`). */
import { beforeEach, describe, expect, test, vi } from "vitest";
import type { OversizedMessage, RunnerToPage } from "../../web/src/run/runner-messages.ts";

/** Stands in for a window (Node's MessageEvent takes ports only): the gate compares sources by identity. */
const windowLike = () => new MessageChannel().port1 as unknown as Window;

const progress = (phase: "loading" | "ready") => ({
  type: "progress",
  language: "python",
  state: phase === "ready" ? { phase } : { phase, progress: { stage: "wasm" } },
});

/** A gate from a fresh copy of its module: each test starts before the checker has loaded. */
async function gateFor(current: { window: Window | null }) {
  const { MessageGate } = await import("../../web/src/run/message-gate.ts");
  const accepted: (RunnerToPage | OversizedMessage)[] = [];
  const gate = new MessageGate(
    () => current.window,
    (message) => accepted.push(message),
  );
  const send = (data: unknown, source: Window | null = current.window) =>
    gate.receive(new MessageEvent("message", { data, source: source as MessageEventSource }));
  return { accepted, send };
}

describe("the runner's messages", () => {
  beforeEach(() => vi.resetModules());

  test("sent before the checker has loaded are checked and handed on in the order they came", async () => {
    const current = { window: windowLike() };
    const { accepted, send } = await gateFor(current);
    send(progress("loading"));
    send({ type: "progress", language: "python", state: { phase: "nonsense" } });
    send(progress("ready"));
    send({ type: "pong", pingId: 1 });
    expect(accepted).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(accepted).toEqual([progress("loading"), progress("ready"), { type: "pong", pingId: 1 }]);
    // Once it has loaded, at once.
    send({ type: "pong", pingId: 2 });
    expect(accepted.at(-1)).toEqual({ type: "pong", pingId: 2 });
  });

  test("from any other window, or from a frame replaced while they waited, are dropped", async () => {
    const current = { window: windowLike() };
    const { accepted, send } = await gateFor(current);
    send(progress("ready"), windowLike());
    send(progress("ready"), null);
    send({ type: "pong", pingId: 7 });
    current.window = windowLike(); // the frame was replaced before the checker came
    await new Promise((resolve) => setTimeout(resolve, 500));
    send({ type: "pong", pingId: 8 });
    expect(accepted).toEqual([{ type: "pong", pingId: 8 }]);
  });
});
