/** What every command gets: the server's client, the config and where output goes. */
import type { Api } from "./api.ts";
import type { Invocation } from "./commands.ts";
import type { Config } from "./config.ts";

export interface Context {
  invocation: Invocation;
  api: Api;
  /** The server's origin. */
  server: string;
  configDir: string;
  config: Config;
  /** Writes the config back (after a token or link changed). */
  saveConfig(): Promise<void>;
  /** Prints one result: `human` normally, `data` as JSON with `--json`. */
  print(human: string, data: unknown): void;
  /** Progress and notes for people; stderr, so stdout stays the result. */
  note(text: string): void;
}

export function option(context: Context, name: string): string | undefined {
  const value = context.invocation.options[name];
  return typeof value === "string" ? value : undefined;
}

export function flag(context: Context, name: string): boolean {
  return context.invocation.options[name] === true;
}
