/**
 * Reading request bodies with a size limit, before they are handed to a snippet.
 *
 * The JSON API uses `hono/body-limit` (`../json-body.ts`); `/fn` does not, because its body is
 * read late and as part of the call: only once the snippet is found and the call admitted (an
 * unknown id or a rate-limited caller never has its body read), and a body over the limit is a
 * call the owner sees in the call log ("over the size limit and not read") with the endpoint's
 * own 413, which a middleware answering before the route would skip.
 */
import { joinChunks } from "../../workers/bytes.ts";

/**
 * The request body as bytes (null when there is none), or `"too large"` once it is over `limit`
 * bytes: refused early by `content-length`, and counted while reading when that is absent or wrong.
 */
export async function readBodyWithin(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null | "too large"> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return "too large";
  if (!request.body) return null;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return "too large";
    }
    chunks.push(value);
  }
  return joinChunks(chunks, size);
}
