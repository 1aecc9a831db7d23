/**
 * The Pyodide files a new Python isolate boots from come from the parent over RPC
 * (`edge/sandbox/pyodide-files.ts`): only to an isolate that has not booted, each file once, so
 * nothing in an isolate can make the parent stream its 30 MB snapshot again and again.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { PythonBootFilesTarget } from "../../edge/sandbox/pyodide-files.ts";
import { callEndpoint, PYTHON_WARM_UP_MS, saveSnippet, warmUpPython } from "./fn-client.ts";

beforeAll(warmUpPython, PYTHON_WARM_UP_MS);

describe("the boot files", () => {
  it("hand each file out once: a second ask is refused", async () => {
    const files = new PythonBootFilesTarget(env.ASSETS);
    expect((await files.stdlib()).byteLength).toBeGreaterThan(1_000_000);
    await expect(files.stdlib()).rejects.toThrow(/handed out already/);
    const snapshot = await files.snapshot();
    expect(snapshot?.imageSize).toBeGreaterThan(1_000_000);
    await snapshot?.body.cancel();
    await expect(files.snapshot()).rejects.toThrow(/handed out already/);
  });

  it("send the snapshot without its zero pages: about half of its image", async () => {
    const snapshot = await new PythonBootFilesTarget(env.ASSETS).snapshot();
    if (!snapshot) throw new Error("no snapshot");
    let sent = 0;
    for await (const chunk of snapshot.body) sent += chunk.length;
    let inRuns = 0;
    for (let i = 1; i < snapshot.runs.length; i += 2) inRuns += snapshot.runs[i] ?? 0;
    // The header (a few hundred bytes), then exactly the bytes the runs place.
    expect(sent - inRuns).toBeGreaterThan(0);
    expect(sent - inRuns).toBeLessThan(4096);
    // Measured: 14.5 of 31.5 MB.
    expect(sent).toBeLessThan(snapshot.imageSize * 0.6);
  });

  it("are nowhere a handler can look: nothing among its globals serves them", async () => {
    const id = await saveSnippet(
      "python",
      `import js

def handler(request):
    found = []
    for name in js.Object.getOwnPropertyNames(js.globalThis):
        try:
            value = getattr(js, name)
            if hasattr(value, "snapshot") or hasattr(value, "stdlib"):
                found.append(name)
        except Exception:
            pass
    return {"looked": len(js.Object.getOwnPropertyNames(js.globalThis)), "found": found}
`,
    );
    const response = await callEndpoint(id);
    expect(response.status).toBe(200);
    const seen: { looked: number; found: string[] } = await response.json();
    expect(seen.looked).toBeGreaterThan(50);
    expect(seen.found).toEqual([]);
  });
});
