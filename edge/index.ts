import { Hono } from "hono";
import { HttpError, InternalError, NotFound } from "./errors.ts";
import calls from "./routes/calls.ts";
import env from "./routes/env.ts";
import fn from "./routes/fn.ts";
import limits from "./routes/limits.ts";
import snippets from "./routes/snippets.ts";

const app = new Hono<{ Bindings: Env }>();

app.get("/api/health", (c) => c.json({ ok: true }));
app.route("/api/snippets", calls);
app.route("/api/snippets", limits);
app.route("/api/snippets/:id/env", env);
app.route("/api/snippets", snippets);
app.route("/fn", fn);

// Only `/api/*`, `/fn` and `/fn/*` reach the worker (wrangler `run_worker_first`); the SPA assets
// answer everything else, so an unknown route here is always an API client's mistake.
app.notFound((c) =>
  new NotFound(`No route for ${c.req.method} ${new URL(c.req.url).pathname}`).toResponse(),
);

app.onError((error) => {
  if (error instanceof HttpError) return error.toResponse();
  console.error(error);
  return new InternalError().toResponse();
});

// Each snippet's call log (`calls/`).
export { CallLog } from "./calls/call-log.ts";
// Snippet isolates reach the network only through this entrypoint (their `globalOutbound`).
export { OutboundGuard } from "./sandbox/outbound.ts";

export default app;
