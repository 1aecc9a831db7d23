import { useEffect, useRef } from "preact/hooks";
import type { WireResponse } from "../../../workers/runtime-protocol.ts";
import { viewBody } from "../body-view.ts";
import { compareResponses, type Differences, handlerHeaders, isSame } from "../response-compare.ts";
import type { EdgeRun } from "../use-edge-run.ts";

/**
 * The browser's and the edge's responses side by side, differences highlighted; `stale` once the
 * code or the request has changed since (it stays up, marked so, until run again or closed).
 */
export function EdgeComparison(props: { run: EdgeRun; stale: boolean; onClose: () => void }) {
  const { run, stale, onClose } = props;
  // It sits below the response and the console, often past the column's fold: bring it into view
  // when it appears and when its result arrives, or a click on "Run at edge" seems to do nothing.
  const panel = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: "nearest" });
    // Finished, the comparison takes the focus from "Run at edge" (Escape then closes it and
    // gives the focus back), unless the user has gone on to something else meanwhile.
    if (run.phase === "running") return;
    const active = document.activeElement;
    if (!active || active === document.body || active.closest(".snippet-bar, .edge-compare")) {
      heading.current?.focus({ preventScroll: true });
    }
  }, [run.phase]);
  return (
    <section
      ref={panel}
      class="panel edge-compare"
      aria-labelledby="edge-title"
      data-phase={run.phase}
      data-stale={stale || undefined}
      onKeyDown={(event) => {
        if (event.key === "Escape") onClose();
      }}
    >
      <div class="panel-head">
        <h2 id="edge-title" ref={heading} tabIndex={-1}>
          Browser vs edge
        </h2>
        <button type="button" class="icon" aria-label="Close the comparison" onClick={onClose}>
          ×
        </button>
      </div>
      {run.phase === "running" && <p class="hint">Running in the browser and at the edge…</p>}
      {run.phase === "failed" && (
        <p class="failure" role="alert">
          {run.message}
        </p>
      )}
      {run.phase === "done" && stale && (
        <p class="hint stale-note" data-testid="edge-stale">
          Compared before your latest changes to the code or the request: Run at edge again to
          compare them.
        </p>
      )}
      {run.phase === "done" && <Comparison {...run} />}
    </section>
  );
}

function Comparison(props: Extract<EdgeRun, { phase: "done" }>) {
  const { browser, edge, edgeVersion, dirty, browserMs, edgeMs } = props;
  const differences = compareResponses(browser, edge);
  return (
    <>
      <p
        class={isSame(differences) ? "verdict same" : "verdict differs"}
        data-testid="edge-verdict"
      >
        {verdict(differences)}
      </p>
      {dirty && (
        <p class="hint">
          The edge ran saved version {edgeVersion}; your unsaved changes ran only in the browser.
        </p>
      )}
      <div class="compare-columns">
        <Side
          title="Browser"
          timing={`handler ${formatMs(browserMs)}`}
          response={browser}
          differences={differences}
        />
        <Side
          title={`Edge (version ${edgeVersion})`}
          timing={`round trip ${formatMs(edgeMs)}`}
          response={edge}
          differences={differences}
        />
      </div>
    </>
  );
}

function verdict(differences: Differences): string {
  if (isSame(differences)) return "Same status, handler headers and body.";
  const parts = [
    differences.status ? "status" : "",
    ...differences.headers.map((name) => `header ${name}`),
    differences.body ? "body" : "",
  ].filter(Boolean);
  return `Differs in ${parts.join(", ")}.`;
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function Side(props: {
  title: string;
  timing: string;
  response: WireResponse;
  differences: Differences;
}) {
  const { title, timing, response, differences } = props;
  const body = viewBody(response);
  const differs = (yes: boolean) => (yes ? "differs" : undefined);
  return (
    <section class="compare-side" aria-label={title}>
      <h3>
        {title} <span class="timing">{timing}</span>
      </h3>
      <p class={differs(differences.status)}>
        Status <strong data-testid="compare-status">{response.status}</strong>
      </p>
      <table class="headers">
        <tbody>
          {[...handlerHeaders(response)].map(([name, value]) => (
            <tr key={name} class={differs(differences.headers.includes(name))}>
              <th scope="row">{name}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <pre class={`body ${differs(differences.body) ?? ""}`}>
        {body.kind === "empty"
          ? "(no body)"
          : body.kind === "binary"
            ? `${body.size} bytes\n${body.hex}`
            : body.text}
      </pre>
    </section>
  );
}
