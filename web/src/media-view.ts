/** Which bodies the response panel shows as media rather than as text or a hex dump. */

/** How a media body is shown: an image, a player, or the browser's PDF viewer. */
export type MediaKind = "image" | "audio" | "video" | "pdf";

/** A body to show as media, with the type its `blob:` URL gets. */
export interface MediaView {
  kind: MediaKind;
  /** The content type without parameters, lower case, e.g. `image/png`. */
  type: string;
}

/**
 * The media view for a response's content type, or `null` for every other body. The type is
 * what the handler claims; a body that is not what it claims just fails to decode in its element,
 * and its bytes stay one click away.
 */
export function mediaView(contentType: string | undefined): MediaView | null {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  // `type/subtype` of token characters only: the type is handed to `new Blob`, never pasted anywhere.
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return null;
  if (type === "application/pdf") return { kind: "pdf", type };
  const top = type.slice(0, type.indexOf("/"));
  if (top === "image" || top === "audio" || top === "video") return { kind: top, type };
  return null;
}
