import { useEffect, useState } from "preact/hooks";
import type { RuntimeState } from "../../../workers/runner-protocol.ts";
import type { Language } from "../../../workers/runtime-protocol.ts";
import { loadRunner, RUNNER_STARTING } from "../run/runner-start.ts";

interface Props {
  label: string;
  language: Language;
}

/** A runtime's loading state: progress while it loads, "ready", or why it failed. */
export function RuntimeStatus({ label, language }: Props) {
  const [state, setState] = useState<RuntimeState>(RUNNER_STARTING);
  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    let current = true;
    loadRunner().then(
      (runner) => {
        if (!current) return;
        setState(runner.state(language));
        unsubscribe = runner.subscribe(language, setState);
      },
      (error: unknown) => {
        if (current) setState({ phase: "failed", message: `the runner did not load (${error})` });
      },
    );
    return () => {
      current = false;
      unsubscribe?.();
    };
  }, [language]);
  return (
    <div class={`runtime-status ${state.phase}`} data-testid={`runtime-${label.toLowerCase()}`}>
      <span class="runtime-label">{label}</span> {state.phase === "ready" && <span>ready</span>}
      {state.phase === "failed" && <span role="alert">failed: {state.message}</span>}
      {state.phase === "loading" && (
        <>
          {/* On a laptop screen the stage is the bar's tooltip: the toolbar keeps its layout. */}
          <span class="runtime-stage">{state.progress.stage}…</span>{" "}
          <progress
            aria-label={`${label} loading`}
            aria-valuetext={state.progress.stage}
            title={`${label}: ${state.progress.stage}…`}
            max={1}
            value={state.progress.fraction ?? undefined}
          />
        </>
      )}
    </div>
  );
}
