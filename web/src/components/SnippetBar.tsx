import type { ComponentChildren, Ref } from "preact";
import type { SnippetVersionView, SnippetView } from "../../../workers/api-types.ts";
import { SavedSnippetBar } from "../lazy-panels.ts";
import type { RequestDraft } from "../request-draft.ts";

export interface SnippetBarProps {
  snippet: SnippetView | null;
  pinned: SnippetVersionView | null;
  owned: boolean;
  dirty: boolean;
  /** The builder's request, for Copy as curl and the curl command shown. */
  request: RequestDraft;
  onRunAtEdge: () => void;
  edgeRunning: boolean;
  /** The "Run at edge" button: the focus goes back there when the comparison closes. */
  runAtEdgeButton?: Ref<HTMLButtonElement>;
  onOpenLatest: () => void;
  onFork: () => void;
  onDiscard: () => void;
  /** Pins the endpoint to a version, or with `null` back to the latest. */
  onFreeze: (version: number | null) => void;
  /** The owner's rate-limit control, beside the freeze switch. */
  limits?: ComponentChildren;
}

/** The snippet's bar: a new snippet's is a hint to save it; a saved one's is `SavedSnippetBar`. */
export function SnippetBar(props: SnippetBarProps) {
  const { snippet } = props;
  if (!snippet) {
    return (
      <section class="snippet-bar" aria-label="Snippet">
        <p class="hint">
          Not saved yet. Save<span class="shortcut"> (Ctrl/Cmd+S)</span> to get a share URL and a
          public endpoint you can call with curl.
        </p>
      </section>
    );
  }
  return <SavedSnippetBar {...props} snippet={snippet} />;
}
