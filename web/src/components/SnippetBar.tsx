import type { ComponentChildren, Ref } from "preact";
import type { SnippetVersionView, SnippetView } from "../../../workers/api-types.ts";
import { CopyButton } from "./CopyButton.tsx";
import { closeDetailsOnEscape } from "./close-on-escape.ts";

interface Props {
  snippet: SnippetView | null;
  pinned: SnippetVersionView | null;
  owned: boolean;
  dirty: boolean;
  /** The curl command for the builder's request, or why there is none. */
  curl: () => string;
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

/** The saved snippet: which version is open, whose it is, its share URL and endpoint, curl. */
export function SnippetBar(props: Props) {
  const { snippet, pinned, owned, dirty } = props;
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
  const endpoint = pinned?.endpointUrl ?? snippet.endpointUrl;
  return (
    <section class="snippet-bar" aria-label="Snippet" data-snippet={snippet.id}>
      <p class="snippet-state">
        {pinned ? (
          <span
            class="pinned"
            data-testid="pinned"
            title="An older version: saving makes it the newest"
          >
            Version {pinned.version} of {snippet.version} (older){" "}
            <button type="button" class="link" onClick={props.onOpenLatest}>
              open the latest
            </button>
          </span>
        ) : (
          <span>Version {snippet.version}</span>
        )}{" "}
        <span
          class={owned ? "owner" : "owner other"}
          title={
            owned
              ? "This browser holds the edit token: Save adds versions"
              : "This browser can't save it: Fork to save a copy of your own"
          }
        >
          {owned ? "· yours" : "· read-only here"}
        </span>
        {/* Short, so that the first keystroke after a save does not wrap the bar to two rows. */}
        {dirty && (
          <span class="dirty" data-testid="dirty" title="Changes since the version shown">
            {" "}
            · unsaved{" "}
            <button type="button" class="link" onClick={props.onDiscard}>
              discard
            </button>
          </span>
        )}
      </p>
      <div class="urls">
        {/* Their paths: the address bar and the Copy buttons give the whole URLs (so do the
            tooltips), and a path is never cut short. */}
        <span class="share">
          Share{" "}
          <a href={snippet.shareUrl} data-testid="share-url" title={snippet.shareUrl}>
            {new URL(snippet.shareUrl).pathname}
          </a>
          <CopyButton label="Copy link" shown="Copy" text={() => snippet.shareUrl} />
        </span>
        <span class="endpoint">
          Endpoint{" "}
          <code data-testid="endpoint-url" title={endpoint}>
            {new URL(endpoint).pathname}
          </code>
          <CopyButton label="Copy URL" shown="Copy" text={() => endpoint} />
        </span>
      </div>
      <div class="actions">
        <CopyButton label="Copy as curl" text={props.curl} />
        <button
          type="button"
          ref={props.runAtEdgeButton}
          onClick={props.onRunAtEdge}
          // Not `disabled`: the focus stays on it while the edge answers (see the toolbar's Run).
          aria-disabled={props.edgeRunning}
          title="Send the request to the endpoint and compare with the browser's run"
        >
          Run at edge
        </button>
        {!owned && (
          <button type="button" onClick={props.onFork}>
            Fork
          </button>
        )}
        <FreezeControl
          frozen={snippet.frozenVersion}
          latest={snippet.version}
          owned={owned}
          onFreeze={props.onFreeze}
        />
        {props.limits}
        <details class="curl" onKeyDown={closeDetailsOnEscape}>
          <summary aria-label="curl command">curl</summary>
          <CurlText curl={props.curl} />
        </details>
      </div>
    </section>
  );
}

function CurlText({ curl }: { curl: () => string }) {
  let text: string;
  try {
    text = curl();
  } catch (error) {
    text = `# ${error instanceof Error ? error.message : String(error)}`;
  }
  return <pre data-testid="curl-command">{text}</pre>;
}

/** Whether the public endpoint is pinned to a version, and (for the owner) the switch. */
function FreezeControl(props: {
  frozen: number | null;
  latest: number;
  owned: boolean;
  onFreeze: (version: number | null) => void;
}) {
  const { frozen, latest, owned, onFreeze } = props;
  return (
    <span class="freeze">
      {frozen !== null && (
        <span class="frozen" data-testid="frozen">
          Endpoint frozen at version {frozen}
        </span>
      )}
      {owned &&
        (frozen === null ? (
          <button
            type="button"
            onClick={() => onFreeze(latest)}
            title={`Keep the endpoint on version ${latest} while you go on saving`}
          >
            Freeze
          </button>
        ) : (
          <button type="button" onClick={() => onFreeze(null)}>
            Unfreeze
          </button>
        ))}
    </span>
  );
}
