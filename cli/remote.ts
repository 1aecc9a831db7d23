/** The commands that talk to the JSON API: push, pull, versions, fork, rm. */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type {
  CreatedSnippet,
  SnippetVersionView,
  SnippetView,
  VersionSummary,
} from "../workers/api-types.ts";
import { LIMITS } from "../workers/limits.ts";
import type { Language } from "../workers/runtime-protocol.ts";
import { snippetRefArgument } from "./commands.ts";
import { forget, tokenKey } from "./config.ts";
import { type Context, flag, option } from "./context.ts";
import { CliError, EXIT } from "./exit.ts";
import { curlLine, formatSnippet, formatVersions, forTerminal } from "./format.ts";

const LANGUAGE_BY_EXTENSION: Record<string, Language> = {
  ".py": "python",
  ".ts": "typescript",
  ".js": "typescript",
  ".mjs": "typescript",
};

export function languageOf(file: string): Language {
  const language = LANGUAGE_BY_EXTENSION[extname(file).toLowerCase()];
  if (!language) {
    throw new CliError(
      EXIT.usage,
      `Cannot tell the language of ${file}: use a .py, .ts, .js or .mjs file`,
    );
  }
  return language;
}

/** A handler file's text; refused before sending when the server would refuse it (413). */
export async function readHandler(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CliError(
      EXIT.usage,
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (bytes.byteLength > LIMITS.codeBytes) {
    throw new CliError(
      EXIT.refused,
      `${file} is ${bytes.byteLength} bytes; a snippet may have at most ${LIMITS.codeBytes} (256 KB)`,
    );
  }
  try {
    // Kept as it is, a byte-order mark included, so that pull gives back the same bytes.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new CliError(EXIT.usage, `${file} is not UTF-8 text`);
  }
}

function tokenFor(context: Context, id: string): string {
  const token = context.config.tokens[tokenKey(context.server, id)];
  if (!token) {
    throw new CliError(
      EXIT.auth,
      `No edit token for ${id} on ${context.server} in ${context.configDir}: only the snippet's creator (or whoever forked it) can change it`,
    );
  }
  return token;
}

function summary(view: SnippetView, extra: Record<string, unknown> = {}) {
  const { code: _code, ...rest } = view;
  return { ...rest, curl: curlLine(view.endpointUrl), ...extra };
}

export async function push(context: Context): Promise<void> {
  const [file = ""] = context.invocation.positionals;
  const path = resolve(file);
  const language = languageOf(file);
  const code = await readHandler(file);
  const title = option(context, "title");
  const link = context.config.links[path];
  const id =
    option(context, "id") ??
    (flag(context, "new") || link?.server !== context.server ? undefined : link.id);
  if (id === undefined) {
    const created = await context.api.request<CreatedSnippet>("POST", "/api/snippets", {
      body: { language, code, title },
    });
    const { token, ...view } = created;
    context.config.tokens[tokenKey(context.server, view.id)] = token;
    context.config.links[path] = { server: context.server, id: view.id };
    await context.saveConfig();
    context.print(formatSnippet("Created", view), summary(view, { created: true }));
    return;
  }
  const token = tokenFor(context, id);
  const current = await context.api
    .request<SnippetView>("GET", `/api/snippets/${encodeURIComponent(id)}`)
    .catch((error: unknown) => {
      // A linked snippet that is gone: say how to start afresh from the same file.
      if (
        error instanceof CliError &&
        error.exitCode === EXIT.notFound &&
        option(context, "id") === undefined
      ) {
        error.message += `\n${file} was linked to it; fnpad push ${file} --new creates a new snippet`;
      }
      throw error;
    });
  if (current.language !== language) {
    throw new CliError(
      EXIT.usage,
      `${id} is a ${current.language} snippet; ${file} is ${language}`,
    );
  }
  const view = await context.api.request<SnippetView>(
    "PUT",
    `/api/snippets/${encodeURIComponent(id)}`,
    { token, body: { code, title } },
  );
  context.config.links[path] = { server: context.server, id };
  await context.saveConfig();
  context.print(formatSnippet("Saved", view), summary(view, { created: false }));
}

export async function pull(context: Context): Promise<void> {
  const [ref = "", file] = context.invocation.positionals;
  const { id, version } = snippetRefArgument(ref);
  const base = `/api/snippets/${encodeURIComponent(id)}`;
  const view =
    version === null
      ? await context.api.request<SnippetView>("GET", base)
      : await context.api.request<SnippetVersionView>("GET", `${base}/versions/${version}`);
  if (file === undefined || file === "-") {
    // The code exactly as stored when piped: scripts compare and pipe it. A terminal shows anyone's
    // code with its control characters written out, as `run` shows a body.
    const code = process.stdout.isTTY ? forTerminal(view.code) : view.code;
    process.stdout.write(context.invocation.json ? `${JSON.stringify(view, null, 2)}\n` : code);
    return;
  }
  const path = resolve(file);
  const existing = await readFile(path, "utf8").catch(() => undefined);
  if (existing !== undefined && existing !== view.code && !flag(context, "force")) {
    throw new CliError(
      EXIT.usage,
      `${file} exists with other content; pass --force to overwrite it`,
    );
  }
  await writeFile(path, view.code);
  const linked = context.config.tokens[tokenKey(context.server, id)] !== undefined;
  if (linked) {
    context.config.links[path] = { server: context.server, id };
    await context.saveConfig();
  }
  const note = linked ? `; fnpad push ${file} saves a new version` : "";
  context.print(`Wrote ${id}@${view.version} to ${file}${note}`, {
    id,
    version: view.version,
    file: path,
    linked,
  });
}

export async function versions(context: Context): Promise<void> {
  const { id } = snippetRefArgument(context.invocation.positionals[0] ?? "");
  const answer = await context.api.request<{ versions: VersionSummary[] }>(
    "GET",
    `/api/snippets/${encodeURIComponent(id)}/versions`,
  );
  context.print(formatVersions(id, answer.versions), answer.versions);
}

export async function fork(context: Context): Promise<void> {
  const [ref = "", file] = context.invocation.positionals;
  const { id, version } = snippetRefArgument(ref);
  if (file !== undefined && existsSync(file)) {
    throw new CliError(EXIT.usage, `${file} exists; fork into a new file (or pull into this one)`);
  }
  const created = await context.api.request<CreatedSnippet>(
    "POST",
    `/api/snippets/${encodeURIComponent(id)}/fork`,
    { body: { version: version ?? undefined, title: option(context, "title") } },
  );
  const { token, ...view } = created;
  context.config.tokens[tokenKey(context.server, view.id)] = token;
  if (file !== undefined) {
    await writeFile(resolve(file), view.code);
    context.config.links[resolve(file)] = { server: context.server, id: view.id };
  }
  await context.saveConfig();
  const wrote =
    file === undefined ? "" : `\n  code in ${file}, linked: fnpad push ${file} saves a new version`;
  context.print(
    `${formatSnippet(`Forked ${id} into`, view)}${wrote}`,
    summary(view, { forkedFrom: id, file }),
  );
}

export async function rm(context: Context): Promise<void> {
  const { id } = snippetRefArgument(context.invocation.positionals[0] ?? "");
  const token = tokenFor(context, id);
  await context.api.request("DELETE", `/api/snippets/${encodeURIComponent(id)}`, { token });
  forget(context.config, context.server, id);
  await context.saveConfig();
  context.print(`Deleted ${id}: its endpoint is gone (404)`, { id, deleted: true });
}
