import type { ComponentChildren } from "preact";
import { CopyButton } from "../components/CopyButton.tsx";
import { curlCommandOrWhy } from "../curl.ts";
import type { RequestDraft } from "../request-draft.ts";
import { QrCode } from "./QrCode.tsx";

interface Props {
  /** The public endpoint, or `null` while the snippet is not saved. */
  endpoint: string | null;
  /** The builder's request, which the card shows as a one-line curl command. */
  request: RequestDraft;
  /** The version the endpoint is frozen at, if it is. */
  frozenVersion: number | null;
  /** The owner's rate-limit control. */
  limits?: ComponentChildren;
}

/** What the audience needs to call the endpoint: its URL, a QR code for it, and a curl line. */
export function EndpointCard({ endpoint, request, frozenVersion, limits }: Props) {
  if (!endpoint) {
    return (
      <section class="panel endpoint-card" aria-label="Endpoint">
        <p class="hint">Save the snippet to get an endpoint the audience can call.</p>
      </section>
    );
  }
  const command = curlCommandOrWhy(request, endpoint);
  return (
    <section class="panel endpoint-card" aria-label="Endpoint">
      <QrCode text={endpoint} />
      <div class="endpoint-lines">
        <p class="endpoint-url" data-testid="present-endpoint">
          <BreakAtSlashes text={endpoint} />
        </p>
        {frozenVersion !== null && (
          <p class="frozen" data-testid="present-frozen">
            Frozen at version {frozenVersion}
          </p>
        )}
        <pre class="curl-line" data-testid="present-curl">
          <CurlWords command={command} />
        </pre>
        <div class="endpoint-actions">
          <CopyButton label="Copy curl" text={() => command} />
          {limits}
        </div>
      </div>
    </section>
  );
}

/**
 * A command that wraps between its words and after a URL's slashes, never inside an option: a
 * slide that shows `-` and `-data-raw` on two lines gets typed wrong.
 */
function CurlWords({ command }: { command: string }) {
  return (
    <>
      {command.split(/(\s+)/).map((word, index) =>
        word.startsWith("-") ? (
          <span key={index} class="nowrap">
            {word}
          </span>
        ) : (
          <BreakAtSlashes key={index} text={word} />
        ),
      )}
    </>
  );
}

/** Text that may break after each `/` of a URL (not inside the id, nor between `//`'s two). */
function BreakAtSlashes({ text }: { text: string }) {
  const parts = text.split(/(?<=\/)(?!\/)/);
  return (
    <>
      {parts.map((part, index) => (
        <span key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </span>
      ))}
    </>
  );
}
