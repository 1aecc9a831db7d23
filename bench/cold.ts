// Cold starts (part of bench/edge.ts): the first call of a new version, which is a new isolate,
// for TypeScript and Python, and for Python where its time goes (the app's `Server-Timing`:
// `boot-isolate` the isolate made and its modules loaded, the 9.6 MB wasm among them;
// `boot-files` the boot files ready (the snapshot fetched and unzipped, in a deploy build);
// `boot-snapshot` the 30 MB memory snapshot streamed into the new wasm memory, which is
// instantiated meanwhile; `boot-python` Python restored from it, the adapter and the snippet
// imported, the handler run).
import { mean, median, ms } from "./load.ts";

const TRIVIAL = {
  typescript: 'export default function handler() {\n  return "ok";\n}\n',
  python: 'def handler(request):\n    return "ok"\n',
} as const;

const BOOT_STEPS = ["isolate", "files", "snapshot", "python"] as const;

async function api(base: string, method: string, path: string, body: unknown, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, { method, headers, body: JSON.stringify(body) });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<{ id: string; token: string }>;
}

function timings(header: string | null): Map<string, number> {
  const found = new Map<string, number>();
  for (const part of header?.split(",") ?? []) {
    const [name = "", duration = ""] = part.trim().split(";dur=");
    found.set(name, Number(duration));
  }
  return found;
}

/** Prints the median time to the first answer of `samples` new versions of each language's trivial snippet. */
export async function coldStarts(base: string, samples = 5): Promise<void> {
  for (const language of ["typescript", "python"] as const) {
    const snippet = await api(base, "POST", "/api/snippets", { language, code: TRIVIAL[language] });
    const totals: number[] = [];
    const steps = new Map<string, number[]>();
    for (let i = 0; i < samples; i += 1) {
      const mark = language === "python" ? "#" : "//";
      const code = `${TRIVIAL[language]}${mark} cold ${i} ${Date.now()}\n`;
      await api(base, "PUT", `/api/snippets/${snippet.id}`, { code }, snippet.token);
      const t = performance.now();
      const response = await fetch(`${base}/fn/${snippet.id}/`);
      const body = await response.text();
      totals.push(performance.now() - t);
      if (body !== "ok") throw new Error(`cold ${language} answered ${body}`);
      for (const [name, value] of timings(response.headers.get("server-timing")))
        steps.set(name, [...(steps.get(name) ?? []), value]);
    }
    const shown = totals.map((value) => value.toFixed(0)).join(", ");
    console.log(
      `cold start, new ${language} version: median ${ms(median(totals))} (samples: ${shown} ms)`,
    );
    if (language !== "python") continue;
    const parts = BOOT_STEPS.map((step) => `${step} ${ms(mean(steps.get(`boot-${step}`) ?? []))}`);
    const around = ["lookup", "env", "run", "runner"].map(
      (name) => `${name} ${ms(mean(steps.get(name) ?? []))}`,
    );
    console.log(`  where it goes (means): ${parts.join(", ")}`);
    console.log(`  in the app: ${around.join(", ")} (run − runner: the hop to the runner process)`);
  }
}
