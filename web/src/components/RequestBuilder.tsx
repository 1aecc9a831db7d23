import { isCredentialHeader, isCredentialParam } from "../../../workers/credential-names.ts";
import {
  credentialWarning,
  hasBody,
  headerProblem,
  METHODS,
  pathWarning,
  type RequestDraft,
} from "../request-draft.ts";
import { RowsEditor } from "./RowsEditor.tsx";

interface Props {
  draft: RequestDraft;
  onChange: (draft: RequestDraft) => void;
}

/** Method, relative path, query parameters, headers and body of the request a Run sends. */
export function RequestBuilder({ draft, onChange }: Props) {
  const set = (patch: Partial<RequestDraft>) => onChange({ ...draft, ...patch });
  const pathNote = pathWarning(draft.path);
  return (
    <section class="panel request" aria-labelledby="request-title">
      <h2 id="request-title">Request</h2>
      <div class="request-line">
        <select
          aria-label="Method"
          value={draft.method}
          onChange={(event) => set({ method: event.currentTarget.value })}
        >
          {METHODS.map((method) => (
            <option key={method}>{method}</option>
          ))}
        </select>
        <input
          aria-label="Path"
          class="path"
          value={draft.path}
          placeholder="/"
          aria-describedby={pathNote ? "path-warning" : undefined}
          onInput={(event) => set({ path: event.currentTarget.value })}
        />
      </div>
      {pathNote && (
        <p class="row-warning path-warning" id="path-warning" data-testid="path-warning">
          {pathNote}
        </p>
      )}
      <details open={draft.query.length > 0}>
        <summary>Query parameters ({draft.query.filter((row) => row.enabled).length})</summary>
        <RowsEditor
          label="Query parameter"
          rows={draft.query}
          onChange={(query) => set({ query })}
          warning={credentialWarning(isCredentialParam)}
        />
      </details>
      <details open={draft.headers.length > 0}>
        <summary>Headers ({draft.headers.filter((row) => row.enabled).length})</summary>
        <RowsEditor
          label="Header"
          rows={draft.headers}
          onChange={(headers) => set({ headers })}
          problem={headerProblem}
          warning={credentialWarning(isCredentialHeader)}
        />
      </details>
      <div class="body-head">
        <label for="request-body">
          Body{hasBody(draft.method) ? "" : ` (not sent with ${draft.method})`}
        </label>
        <select
          aria-label="Body is written as"
          value={draft.bodyEncoding}
          onChange={(event) =>
            set({ bodyEncoding: event.currentTarget.value === "base64" ? "base64" : "text" })
          }
        >
          <option value="text">Text (UTF-8)</option>
          <option value="base64">Base64 (binary)</option>
        </select>
      </div>
      <textarea
        id="request-body"
        class="request-body"
        spellcheck={false}
        disabled={!hasBody(draft.method)}
        value={draft.body}
        onInput={(event) => set({ body: event.currentTarget.value })}
      />
    </section>
  );
}
