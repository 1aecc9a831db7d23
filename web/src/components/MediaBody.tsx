import { useEffect, useMemo } from "preact/hooks";
import { hexDump } from "../body-view.ts";
import type { MediaView } from "../media-view.ts";
import "./media-body.css";

/** Bytes shown in the hex toggle under a media body. */
const HEX_PREVIEW_BYTES = 256;

/**
 * An image, audio or video body in its element, a PDF in the browser's viewer, with the bytes as
 * hex one click away. All of them load from a `blob:` URL typed by the page (never a `data:`
 * URL, never markup made from the bytes), revoked as soon as the response changes.
 */
export function MediaBody({ media, body }: { media: MediaView; body: Uint8Array }) {
  const url = useMemo(
    () => URL.createObjectURL(new Blob([body as Uint8Array<ArrayBuffer>], { type: media.type })),
    [body, media.type],
  );
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const size = `${body.length.toLocaleString()} bytes`;
  return (
    <div class="media-body" data-testid="body" data-kind={media.kind}>
      <MediaElement kind={media.kind} url={url} />
      <p class="media-caption">
        {media.type}, {size}
        {media.kind === "pdf" && (
          <>
            {" · "}
            <a href={url} download="response.pdf">
              Download PDF
            </a>
          </>
        )}
      </p>
      <details>
        <summary>Show bytes (hex)</summary>
        <pre class="body hex">{hexDump(body.subarray(0, HEX_PREVIEW_BYTES))}</pre>
      </details>
    </div>
  );
}

function MediaElement({ kind, url }: { kind: MediaView["kind"]; url: string }) {
  switch (kind) {
    case "image":
      // An <img> never runs scripts, also those of an SVG: SVGs are never put into the DOM.
      return <img class="media" src={url} alt="The response body" />;
    case "audio":
      return (
        // biome-ignore lint/a11y/useMediaCaption: a handler's response has no captions to offer.
        <audio class="media" src={url} controls preload="metadata" />
      );
    case "video":
      return (
        // biome-ignore lint/a11y/useMediaCaption: a handler's response has no captions to offer.
        <video class="media" src={url} controls preload="metadata" />
      );
    case "pdf":
      // Chromium refuses PDFs in sandboxed frames, so this frame has no `sandbox`. What loads in it
      // is the browser's PDF viewer (its own origin), never a page of the handler's: the blob's
      // type is the page's `application/pdf`, and frames may load only `'self'` and `blob:`.
      return <iframe class="media pdf" src={url} title="PDF viewer" />;
  }
}
