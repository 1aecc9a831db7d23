import { useState } from "preact/hooks";
import type { RateLimits, RateLimitsView } from "../../../workers/api-types.ts";
import { burstOf } from "../../../workers/rate-limits.ts";
import type { EndpointLimits } from "./use-limits.ts";

/**
 * The owner's rate limits on the public endpoint: a one-line summary with the refused calls, and
 * when opened, the two limits to change. Only the owner sees it (the API needs the edit token).
 */
export function LimitsControl({ limits }: { limits: EndpointLimits }) {
  const { view } = limits;
  if (!view) return null;
  const refused = view.refused.perClient + view.refused.perSnippet;
  return (
    <details
      class="limits"
      data-testid="limits"
      onToggle={(event) => limits.setOpen((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary
        title={`Burst protection on the endpoint: ${view.limits.perClient} calls a minute from one client, ${view.limits.perSnippet} from everyone; calls over a limit get 429`}
      >
        {/* Short: the snippet bar stays one row on a laptop; the figures are in the title and the form. */}
        Limits
        {refused > 0 && (
          <span class="refused" data-testid="limits-refused">
            {" "}
            · {refused} refused
          </span>
        )}
      </summary>
      {/* Keyed by the saved limits: a change saved (here or elsewhere) shows in the fields in the
          same render as in the summary, not one effect later. */}
      <LimitsForm
        key={`${view.limits.perClient}/${view.limits.perSnippet}`}
        limits={limits}
        view={view}
      />
    </details>
  );
}

function LimitsForm({ limits, view }: { limits: EndpointLimits; view: RateLimitsView }) {
  const [draft, setDraft] = useState<Record<keyof RateLimits, string>>(() => asText(view.limits));
  const { min, max } = view.bounds;

  const field = (name: keyof RateLimits, label: string) => (
    <label>
      {label}
      <input
        type="number"
        name={name}
        min={min}
        max={max}
        step={1}
        required
        value={draft[name]}
        onInput={(event) => setDraft({ ...draft, [name]: event.currentTarget.value })}
      />
      <span class="hint">
        /min, {burstOf(Number(draft[name]) || min)} at once
        {view.isDefault[name] ? " (default)" : ` (default ${view.defaults[name]})`}
      </span>
    </label>
  );

  const submit = (event: Event) => {
    event.preventDefault();
    void limits.save({ perClient: Number(draft.perClient), perSnippet: Number(draft.perSnippet) });
  };
  const { refused } = view;
  return (
    <form class="limits-form" onSubmit={submit}>
      {field("perClient", "Per client ")}
      {field("perSnippet", "Everyone ")}
      <div class="limits-actions">
        <button type="submit" disabled={limits.busy}>
          Save limits
        </button>
        <button
          type="button"
          disabled={limits.busy}
          onClick={() => void limits.save({ perClient: null, perSnippet: null })}
        >
          Defaults
        </button>
      </div>
      <p class="hint">
        Refused so far: {refused.perClient} per client, {refused.perSnippet} in all
        {refused.lastAt && `, last at ${new Date(refused.lastAt).toLocaleTimeString()}`}. Your own
        Run at edge is never refused. A room on one Wi-Fi shares one address: raise the per-client
        limit before a talk. Bounds {min}–{max}.
      </p>
      {limits.error && (
        <p class="failure" role="alert">
          {limits.error}
        </p>
      )}
    </form>
  );
}

function asText(limits: RateLimits): Record<keyof RateLimits, string> {
  return { perClient: String(limits.perClient), perSnippet: String(limits.perSnippet) };
}
