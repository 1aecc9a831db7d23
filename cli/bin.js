#!/usr/bin/env node
// The `fnpad` command. In a checkout the CLI is TypeScript run by Node's type stripping, which is
// on by default from Node 22.18 / 23.6; an older Node (the machine's may be 20) hands over to the
// project's pinned Node 24 (the `node` dev dependency) with the same arguments and terminal. An
// installed package has no TypeScript (Node strips none under node_modules): it runs the build
// `npm pack` made (`tools/build-cli.ts`), on Node 20 and later.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
const stripsTypes = major >= 24 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);

if (!existsSync(entry)) {
  await import("./dist/main.js");
} else if (stripsTypes) {
  await import(entry);
} else {
  const pinned = fileURLToPath(new URL("../node_modules/node/bin/node", import.meta.url));
  if (!existsSync(pinned)) {
    process.stderr.write(
      `fnpad needs Node ≥ 22.18 (this is ${process.version}), or run npm install for the project's Node 24.\n`,
    );
    process.exit(1);
  }
  const child = spawn(pinned, [entry, ...process.argv.slice(2)], { stdio: "inherit" });
  // Ctrl+C reaches the child through the terminal's process group; a signal sent to this process
  // alone (kill, a supervisor) is passed on, so the child never outlives it.
  process.on("SIGINT", () => {});
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (signal) {
      // End the same way as the child, which the listeners above would otherwise catch.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
