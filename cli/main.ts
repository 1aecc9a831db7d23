/** The `fnpad` command line (started by `bin.js`): parse, run one command, exit with its code. */
import { Api, serverOrigin } from "./api.ts";
import { type Invocation, parseCommandLine } from "./commands.ts";
import { configDir, loadConfig, saveConfig } from "./config.ts";
import type { Context } from "./context.ts";
import { CliError, EXIT, type ExitCode } from "./exit.ts";
import { forTerminal } from "./format.ts";

async function execute(invocation: Invocation): Promise<ExitCode> {
  const server = serverOrigin(invocation.server);
  const dir = configDir();
  const config = await loadConfig(dir);
  // What was on disk when this command started: saving writes only what the command changed.
  let base = structuredClone(config);
  const context: Context = {
    invocation,
    api: new Api(server),
    server,
    configDir: dir,
    config,
    saveConfig: async () => {
      const merged = await saveConfig(dir, base, config);
      Object.assign(config, merged);
      base = structuredClone(merged);
    },
    print: (human, data) =>
      process.stdout.write(`${invocation.json ? JSON.stringify(data, null, 2) : human}\n`),
    note: (text) => process.stderr.write(`${text}\n`),
  };
  switch (invocation.command) {
    case "run": {
      // Loaded only here: it starts the child Node the handler runs in.
      const { run } = await import("./local-run.ts");
      return run(context);
    }
    case "logs":
      await (await import("./logs.ts")).logs(context);
      return EXIT.ok;
    default: {
      const remote = await import("./remote.ts");
      await remote[invocation.command](context);
      return EXIT.ok;
    }
  }
}

async function main(argv: string[]): Promise<ExitCode> {
  try {
    const parsed = parseCommandLine(argv, process.env);
    if ("help" in parsed) {
      process.stdout.write(`${parsed.help}\n`);
      return EXIT.ok;
    }
    return await execute(parsed);
  } catch (error) {
    if (error instanceof CliError) {
      // Its text may be the server's, quoting what others wrote (a module name, a compile error).
      process.stderr.write(`fnpad: ${forTerminal(error.message)}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `fnpad: unexpected failure: ${forTerminal(String((error as Error).stack ?? error))}\n`,
    );
    return EXIT.server;
  }
}

const code = await main(process.argv.slice(2));
// Ended, not left to the event loop: a handler run here (`fnpad run`) may leave timers or sockets
// behind, which would keep the command alive for ever. Output is flushed first.
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
