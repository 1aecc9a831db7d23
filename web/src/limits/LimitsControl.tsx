import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { RateLimits, RateLimitsView } from "../../../workers/api-types.ts";
import { burstOf } from "../../../workers/rate-limits.ts";
import { closeDetailsOnEscape } from "../components/close-on-escape.ts";
import { type EndpointLimits, useEndpointLimits } from "./use-limits.ts";

/**
 * The owner's control for the limits of `snippetId`'s endpoint, with their state: loaded with the
 * control, after the page is usable (only an owner's page shows one, in one place at a time).
 */
export function OwnerLimitsControl({ snippetId }: { snippetId: string }) {
  return <LimitsControl limits={useEndpointLimits(snippetId, true)} />;
}

/**
 * The owner's rate limits on the public endpoint: a one-line summary with the refused calls, and
 * when opened, the two limits to change. Only the owner sees it (the API needs the edit token).
 */
export function LimitsControl({ limits }: { limits: EndpointLimits }) {
  const { view } = limits;
  // The form is made anew when the saved limits change: the control the keyboard was on (by its
  // name) gets the focus back in the new one.
  const focused = useRef<string | null>(null);
  if (!view) return null;
  const refused = view.refused.perClient + view.refused.perSnippet;
  return (
    <details
      class="limits"
      data-testid="limits"
      onKeyDown={closeDetailsOnEscape}
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
        focused={focused}
      />
    </details>
  );
}

function LimitsForm(props: {
  limits: EndpointLimits;
  view: RateLimitsView;
  focused: RefObject<string | null>;
}) {
  const { limits, view, focused } = props;
  const [draft, setDraft] = useState<Record<keyof RateLimits, string>>(() => asText(view.limits));
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const name = focused.current;
    focused.current = null;
    const control = name ? form.current?.elements.namedItem(name) : null;
    if (control instanceof HTMLElement) control.focus();
  }, [focused]);
  /** Notes which control has the focus as a save starts. */
  const noteFocus = () => {
    const active = document.activeElement;
    focused.current =
      active && form.current?.contains(active) ? (active.getAttribute("name") ?? null) : null;
  };
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
        {/* Of the figure in the field, as it is typed: not of the one saved. */}
        {Number(draft[name]) === view.defaults[name]
          ? " (default)"
          : ` (default ${view.defaults[name]})`}
      </span>
    </label>
  );

  const submit = (event: Event) => {
    event.preventDefault();
    noteFocus();
    void limits.save({ perClient: Number(draft.perClient), perSnippet: Number(draft.perSnippet) });
  };
  const { refused } = view;
  return (
    <form class="limits-form" ref={form} onSubmit={submit}>
      {field("perClient", "Per client ")}
      {field("perSnippet", "Everyone ")}
      <div class="limits-actions">
        {/* Named, so that the focus can come back to them in the form made after a save. */}
        <button type="submit" name="save-limits" disabled={limits.busy}>
          Save limits
        </button>
        <button
          type="button"
          name="default-limits"
          disabled={limits.busy}
          onClick={() => {
            noteFocus();
            void limits.save({ perClient: null, perSnippet: null });
          }}
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
