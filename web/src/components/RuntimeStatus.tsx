import { useEffect, useState } from "preact/hooks";
import type { RuntimeClient, RuntimeState } from "../runtime-client.ts";

interface Props {
  label: string;
  // biome-ignore lint/suspicious/noExplicitAny: only the state is read here, whatever the runtime
  client: RuntimeClient<any>;
}

/** A runtime's loading state: progress while it loads, "ready", or why it failed. */
export function RuntimeStatus({ label, client }: Props) {
  const [state, setState] = useState<RuntimeState>(client.state);
  useEffect(() => {
    setState(client.state);
    return client.subscribe(setState);
  }, [client]);
  return (
    <div class={`runtime-status ${state.phase}`} data-testid={`runtime-${label.toLowerCase()}`}>
      <span class="runtime-label">{label}</span> {state.phase === "ready" && <span>ready</span>}
      {state.phase === "failed" && <span role="alert">failed: {state.message}</span>}
      {state.phase === "loading" && (
        <>
          <span>{state.progress.stage}…</span>{" "}
          <progress
            aria-label={`${label} loading`}
            max={1}
            value={state.progress.fraction ?? undefined}
          />
        </>
      )}
    </div>
  );
}
