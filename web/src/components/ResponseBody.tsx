/**
 * A response's body as the response panel shows it: media in a player or viewer, JSON laid out,
 * HTML previewed in a sandboxed frame beside its source, text as is, other bytes as a hex dump.
 * Loaded with the rest of a response's view (`LastResponse.tsx`), after the page is usable.
 */
import { headerValue } from "../../../workers/http.ts";
import type { WireResponse } from "../../../workers/runtime-protocol.ts";
import { viewBody } from "../body-view.ts";
import { mediaView } from "../media-view.ts";
import { MediaBody } from "./MediaBody.tsx";

export function ResponseBody({ response }: { response: WireResponse }) {
  const media = response.body.length > 0 && mediaView(headerValue(response, "content-type"));
  if (media) return <MediaBody media={media} body={response.body} />;
  const view = viewBody(response);
  switch (view.kind) {
    case "empty":
      return <p class="hint">No body.</p>;
    case "json":
    case "text":
      return (
        <pre class="body" data-testid="body" data-kind={view.kind}>
          {view.text}
        </pre>
      );
    case "html":
      return (
        <>
          {/* Sandboxed with no exceptions: an opaque origin, away from the app's storage, and no
          script at all (with `allow-scripts`, the page's CSP it inherits let scripts from the app's
          own origin run, which `/fn/…` is). */}
          <iframe class="preview" title="HTML preview" sandbox="" srcdoc={view.text} />
          <details>
            <summary>HTML source</summary>
            <pre class="body" data-testid="body" data-kind="html">
              {view.text}
            </pre>
          </details>
        </>
      );
    case "binary":
      return (
        <div data-testid="body" data-kind="binary">
          <p>Binary body, {view.size.toLocaleString()} bytes</p>
          <pre class="body hex">{view.hex}</pre>
        </div>
      );
  }
}
