import { useRef } from "preact/hooks";
import type { VersionSummary } from "../../../workers/api-types.ts";
import { closeDetailsOnEscape } from "./close-on-escape.ts";

interface Props {
  versions: VersionSummary[];
  /** The version open in the editor. */
  current: number;
  latest: number;
  /** The version the public endpoint is frozen at, if it is. */
  frozen: number | null;
  owned: boolean;
  busy: boolean;
  onOpen: (version: number) => void;
  onRestore: (version: number) => void;
}

/** A snippet's versions, newest first: open any, restore an older one as the newest. */
export function VersionsPanel({
  versions,
  current,
  latest,
  frozen,
  owned,
  busy,
  onOpen,
  onRestore,
}: Props) {
  // Opening a version reloads the list (its "Open" button goes): the focus waits on the summary.
  const summary = useRef<HTMLElement>(null);
  return (
    <section class="panel versions" aria-labelledby="versions-title">
      <details onKeyDown={closeDetailsOnEscape}>
        <summary ref={summary}>
          <h2 id="versions-title">Versions ({versions.length})</h2>
        </summary>
        <ul class="version-list">
          {versions.map(({ version, createdAt, size }) => (
            <li key={version} data-version={version} aria-current={version === current}>
              <span class="version-name">
                Version {version}
                {version === latest ? " (latest)" : ""}
              </span>{" "}
              {version === frozen && (
                <span class="version-frozen" data-testid="version-frozen">
                  the endpoint serves this
                </span>
              )}{" "}
              <time dateTime={createdAt}>{new Date(createdAt).toLocaleString()}</time>{" "}
              <span class="hint">{size.toLocaleString()} bytes</span>
              {version !== current && (
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    summary.current?.focus();
                    onOpen(version);
                  }}
                >
                  Open version {version}
                </button>
              )}
              {owned && version !== latest && (
                <button
                  type="button"
                  class="link"
                  disabled={busy}
                  onClick={() => onRestore(version)}
                >
                  Restore version {version}
                </button>
              )}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
