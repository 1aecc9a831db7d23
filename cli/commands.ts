/** The commands, their options and help, parsed with Node's `util.parseArgs`. */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { parseSnippetRef, type SnippetRef } from "../workers/snippet-ref.ts";
import { CliError, EXIT } from "./exit.ts";

export const DEFAULT_SERVER = "http://localhost:8787";

interface CommandSpec {
  usage: string;
  summary: string;
  /** Lines after the usage in `--help`. */
  details: string[];
  options: ParseArgsOptionsConfig;
  positionals: [min: number, max: number];
}

const COMMON: ParseArgsOptionsConfig = {
  server: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

export const COMMANDS = {
  push: {
    usage: "fnpad push FILE [--id ID] [--title TITLE] [--new]",
    summary: "create a snippet from FILE, or save it as a new version of the one it is linked to",
    details: [
      "The language comes from the extension: .py is Python, .ts / .js / .mjs TypeScript.",
      "The first push links FILE to the new snippet; later pushes save new versions of it.",
      "  --id ID         save a new version of snippet ID (its token must be in the config)",
      "  --title TITLE   set the snippet's title",
      "  --new           create a new snippet even if FILE is linked to one",
    ],
    options: { id: { type: "string" }, title: { type: "string" }, new: { type: "boolean" } },
    positionals: [1, 1],
  },
  pull: {
    usage: "fnpad pull ID[@N] [FILE] [--force]",
    summary: "write a snippet's code (latest, or version N) to FILE, or to stdout",
    details: [
      "Writes the code byte for byte. With a token for ID in the config, FILE is linked to it.",
      "  --force         overwrite FILE when it exists with other content",
    ],
    options: { force: { type: "boolean" } },
    positionals: [1, 2],
  },
  versions: {
    usage: "fnpad versions ID",
    summary: "list a snippet's versions, newest first",
    details: [],
    options: {},
    positionals: [1, 1],
  },
  fork: {
    usage: "fnpad fork ID[@N] [FILE] [--title TITLE]",
    summary: "copy a snippet (latest, or version N) into a new one of your own",
    details: [
      "The new snippet's token goes into the config; with FILE its code is written there and linked.",
      "  --title TITLE   title of the copy (default: the original's)",
    ],
    options: { title: { type: "string" } },
    positionals: [1, 2],
  },
  rm: {
    usage: "fnpad rm ID",
    summary: "delete a snippet and its endpoint (needs its token)",
    details: [],
    options: {},
    positionals: [1, 1],
  },
  logs: {
    usage: "fnpad logs ID [--follow] [--limit N]",
    summary:
      "show the calls to a snippet's endpoint (needs its token and a server with a call log)",
    details: [
      "  --follow, -f    keep printing new calls as they come (polls every 1.5 s; Ctrl+C ends)",
      "  --limit N       how many of the latest calls to show first (default 20)",
    ],
    options: { follow: { type: "boolean", short: "f" }, limit: { type: "string" } },
    positionals: [1, 1],
  },
  run: {
    usage:
      "fnpad run FILE [--method M] [--path P] [-H 'Name: value']… [-d DATA] [-e NAME=value]… [--timeout MS]",
    summary: "run FILE's handler locally, as the browser does (Pyodide for Python)",
    details: [
      "Prints the status line, headers and body; the handler's logs go to stderr.",
      "  --method, -X M  HTTP method (default GET, or POST with -d)",
      "  --path P        path and query relative to the endpoint, e.g. '/hello?name=Ada' (default /)",
      "  --header, -H    a request header 'Name: value' (repeatable)",
      "  --data, -d      request body; @FILE reads it from a file, @- from stdin",
      "  --timeout MS    time budget of the run (default 5000)",
      "  --env, -e NAME=value  a variable or secret the handler gets as env (repeatable)",
      "Exit 6 when the handler throws, 7 when the run is stopped by its budget.",
    ],
    options: {
      method: { type: "string", short: "X" },
      path: { type: "string" },
      header: { type: "string", short: "H", multiple: true },
      data: { type: "string", short: "d" },
      timeout: { type: "string" },
      env: { type: "string", short: "e", multiple: true },
    },
    positionals: [1, 1],
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

/** What one command line asks for. */
export interface Invocation {
  command: CommandName;
  positionals: string[];
  options: Record<string, string | boolean | (string | boolean)[] | undefined>;
  server: string;
  json: boolean;
}

export type ParsedLine = Invocation | { help: string };

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

export function globalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`,
  );
  return [
    "Usage: fnpad COMMAND [options]   (fnpad COMMAND --help for more)",
    "",
    ...lines,
    "",
    `  --server URL    the fnpad server (default $FNPAD_SERVER or ${DEFAULT_SERVER})`,
    "  --json          print JSON for scripts",
    "",
    "Exit codes: 0 ok, 1 usage, 2 not found, 3 auth, 4 refused by the server, 5 server",
    "unreachable or failing, 6 handler error (run), 7 run stopped (run), 8 no call log (logs).",
  ].join("\n");
}

export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  return [
    `Usage: ${spec.usage}`,
    "",
    `${spec.summary[0]?.toUpperCase()}${spec.summary.slice(1)}.`,
    ...spec.details,
    "",
    "  --server URL, --json, --help as for every command",
  ].join("\n");
}

/** Parses `argv` (without node and the script); throws a usage `CliError` for anything wrong. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv = {}): ParsedLine {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    return { help: globalHelp() };
  }
  if (!isCommand(name))
    throw new CliError(EXIT.usage, `Unknown command ${JSON.stringify(name)}\n\n${globalHelp()}`);
  const spec: CommandSpec = COMMANDS[name];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...COMMON, ...spec.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(EXIT.usage, `${(error as Error).message}\n\nUsage: ${spec.usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: commandHelp(name) };
  const [min, max] = spec.positionals;
  if (positionals.length < min || positionals.length > max) {
    throw new CliError(
      EXIT.usage,
      `fnpad ${name} takes ${min === max ? min : `${min} to ${max}`} argument${max > 1 ? "s" : ""}\n\nUsage: ${spec.usage}`,
    );
  }
  const server =
    typeof values.server === "string" ? values.server : env.FNPAD_SERVER || DEFAULT_SERVER;
  return { command: name, positionals, options: values, server, json: values.json === true };
}

/** `ID` or `ID@N`, read as the API and the endpoints read them; a usage error otherwise. */
export function snippetRefArgument(ref: string): SnippetRef {
  const parsed = parseSnippetRef(ref);
  if (!parsed) {
    throw new CliError(
      EXIT.usage,
      `${JSON.stringify(ref)} is not a snippet id or id@version (e.g. k3xq7m2pwt9e@3)`,
    );
  }
  return parsed;
}
