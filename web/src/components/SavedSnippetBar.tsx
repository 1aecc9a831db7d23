/**
 * The bar of a saved snippet: which version is open, whose it is, its share URL and endpoint,
 * Copy as curl, Run at edge, Fork and Freeze. Loaded after the page is usable (`lazy-panels.ts`):
 * a new snippet's bar is a line of text, and a saved one's data comes from the API anyway.
 */
import type { SnippetView } from "../../../workers/api-types.ts";
import { curlCommand, curlCommandOrWhy } from "../curl.ts";
import { CopyButton } from "./CopyButton.tsx";
import { closeDetailsOnEscape } from "./close-on-escape.ts";
import type { SnippetBarProps } from "./SnippetBar.tsx";

export function SavedSnippetBar(props: SnippetBarProps & { snippet: SnippetView }) {
  const { snippet, pinned, owned, dirty } = props;
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
        <CopyButton label="Copy as curl" text={() => curlCommand(props.request, endpoint)} />
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
          <pre data-testid="curl-command">{curlCommandOrWhy(props.request, endpoint)}</pre>
        </details>
      </div>
    </section>
  );
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
