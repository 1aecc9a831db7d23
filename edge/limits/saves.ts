/**
 * A ceiling on saves: new snippets, new versions and forks. Saving needs no account and each save
 * costs the server work (a TypeScript save compiles its code, up to a second of CPU for the
 * largest; every save writes D1), so without a ceiling one script could keep the API busy and
 * fill the database. Counted by Cloudflare's Rate Limiting binding, per client as `/fn` counts
 * them (`clientOf`: address and browser) and per address at ten times that, so a room on one
 * Wi-Fi can still fork a speaker's snippet together. The counts are per Cloudflare location and
 * approximate, which is enough for a ceiling no person typing reaches.
 *
 * A request without `CF-Connecting-IP`, or from a loopback address, is not counted: Cloudflare
 * sets it to the client's public address on every request it forwards, so only local tools send
 * none (`wrangler dev` sets it to the loopback address it was called from).
 */
import type { MiddlewareHandler } from "hono";
import ipaddr from "ipaddr.js";
import { TooManyRequests } from "../errors.ts";
import { addressOf, clientOf } from "./guard.ts";

/** Saves one client may make a minute: the `SAVES_PER_CLIENT` binding's limit in wrangler.jsonc. */
export const SAVES_PER_CLIENT_MINUTE = 30;
/** Saves all the clients behind one address may make a minute: `SAVES_PER_ADDRESS`'s limit. */
export const SAVES_PER_ADDRESS_MINUTE = 300;

/** Refuses a save past either limit with `429` before any of its work is done. */
export const saveLimit: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const sent = c.req.header("cf-connecting-ip") ?? "";
  const address = addressOf(sent);
  if (address !== "unknown" && ipaddr.process(sent).range() !== "loopback") {
    let refused: string | null = null;
    try {
      const [byClient, byAddress] = await Promise.all([
        c.env.SAVES_PER_CLIENT.limit({ key: clientOf(c.req.raw) }),
        c.env.SAVES_PER_ADDRESS.limit({ key: address }),
      ]);
      // The limit that was reached is the one named: a browser that saved little, behind a busy
      // address, is not told that it saved too often.
      if (!byClient.success) refused = `from this browser: at most ${SAVES_PER_CLIENT_MINUTE}`;
      else if (!byAddress.success)
        refused = `from your address (every browser behind it): at most ${SAVES_PER_ADDRESS_MINUTE}`;
    } catch (error) {
      // Open, not closed: a limiter that fails must not cost anyone their save.
      console.error("The save limiter failed:", error);
    }
    if (refused) {
      throw new TooManyRequests(
        `Too many saves ${refused} a minute. Your code is not lost; save again in a minute.`,
        60,
      );
    }
  }
  await next();
};
