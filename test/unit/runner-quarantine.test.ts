/** Versions that took a runner down, refused for a cooldown that doubles (`edge/runner/quarantine.ts`). */
import { afterEach, describe, expect, test } from "vitest";
import {
  acquit,
  forgetOffences,
  onProbation,
  QUARANTINE_FIRST_MS,
  QUARANTINE_MAX_MS,
  quarantine,
  quarantined,
  SUSPECT_MS,
} from "../../edge/runner/quarantine.ts";

const v1 = { id: "abc", version: 1 };
const v2 = { id: "abc", version: 2 };

const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe("quarantined versions", () => {
  afterEach(() => forgetOffences());

  test("are refused with the platform's 503 and Retry-After until the cooldown ends; a new version runs", () => {
    expect(quarantine(v1, "deadline", 0)).toBe(QUARANTINE_FIRST_MS);
    const refused = quarantined(v1, 1_500);
    expect(refused?.status).toBe(503);
    expect(refused?.headers).toContainEqual(["x-fnpad-error", "platform"]);
    expect(refused?.headers).toContainEqual(["retry-after", "29"]);
    expect(text(refused?.body ?? new Uint8Array())).toContain(
      "version 1 of this snippet was stopped at its 10 s deadline, so its calls are refused for 29 more s",
    );
    expect(quarantined(v2, 1_500)).toBeNull();
    expect(quarantined(v1, QUARANTINE_FIRST_MS)).toBeNull();
  });

  test("double per repeat offence up to the maximum, and start over after a quiet spell", () => {
    let now = 0;
    const cooldowns: number[] = [];
    for (let n = 0; n < 7; n += 1) {
      const cooldown = quarantine(v1, "runner died", now);
      cooldowns.push(cooldown);
      now += cooldown + 1;
    }
    expect(cooldowns).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
    expect(text(quarantined(v1, now - 2)?.body ?? new Uint8Array())).toContain(
      "took its runner down",
    );
    expect(quarantine(v1, "deadline", now + QUARANTINE_MAX_MS)).toBe(QUARANTINE_FIRST_MS);
  });

  test("count runs already under way when it began as one offence", () => {
    quarantine(v1, "deadline", 0);
    expect(quarantine(v1, "deadline", 500)).toBe(QUARANTINE_FIRST_MS - 500);
    expect(quarantine(v1, "deadline", QUARANTINE_FIRST_MS + 1)).toBe(2 * QUARANTINE_FIRST_MS);
  });

  test("never quarantine a version for failures beside other runs: it is on probation until a run of its own settles it", () => {
    // The attack: an innocent endpoint called beside the caller's own runaway, again and again.
    expect(quarantine(v1, "deadline", 0, true)).toBe(0);
    expect(quarantine(v1, "deadline", 20_000, true)).toBe(0);
    expect(quarantine(v1, "runner died", 40_000, true)).toBe(0);
    expect(quarantined(v1, 40_001)).toBeNull();
    expect(onProbation(v1, 40_001)).toBe(true);
    expect(onProbation(v2, 40_001)).toBe(false);
    // Its run alone on a runner answered: acquitted.
    acquit(v1);
    expect(onProbation(v1, 40_002)).toBe(false);
    // A suspicion no run settles is forgotten.
    expect(quarantine(v2, "deadline", 0, true)).toBe(0);
    expect(onProbation(v2, SUSPECT_MS + 1)).toBe(false);
    // A suspect whose run alone fails is quarantined.
    expect(quarantine(v2, "deadline", 1_000, true)).toBe(0);
    expect(quarantine(v2, "deadline", 2_000)).toBe(QUARANTINE_FIRST_MS);
    expect(onProbation(v2, 2_001)).toBe(false);
    expect(quarantined(v2, 2_001)?.status).toBe(503);
  });

  test("give a version quarantined before no new suspicion when it fails beside another run", () => {
    // The attack: a runaway always sent with a companion call, so every failure of it is shared.
    // Its first makes it a suspect; its next run has a runner to itself, and fails alone.
    expect(quarantine(v1, "deadline", 0, true)).toBe(0);
    expect(quarantine(v1, "deadline", 10_000)).toBe(QUARANTINE_FIRST_MS);
    const after = 10_000 + QUARANTINE_FIRST_MS + 1;
    expect(quarantine(v1, "deadline", after, true)).toBe(2 * QUARANTINE_FIRST_MS);
  });
});
