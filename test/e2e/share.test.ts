/**
 * The whole story, as a new user lives it: write a Python handler, run and save it, share it,
 * fork it in another browser, call both endpoints, restore a version, copy a request as curl,
 * and keep working through failed saves (a refused save, the server going down).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, type TestContext, test } from "node:test";
import { promisify } from "node:util";
import type { Browser, Page, Request } from "playwright-core";
import { currentAppServer } from "../../tools/app-server.ts";
import { compareResponses } from "../../web/src/response-compare.ts";
import type { WireResponse } from "../../workers/runtime-protocol.ts";
import {
  APP_URL,
  chooseLanguage,
  launchAppPage,
  noticeMatching,
  openApp,
  pageResponses,
  runInBrowser,
  save,
  setRequest,
  snippetIdInUrl,
  writeCode,
} from "./snippet-page.ts";

/** The story's handler; `version` tells the saved versions apart in every answer. */
const storyHandler = (version: string) =>
  [
    "def handler(request):",
    '    name = request.query.get("name", "world")',
    '    if request.method == "GET":',
    `        return {"hello": name, "version": "${version}"}, 200, {"x-name": name}`,
    '    if request.headers.get("content-type", "").startswith("application/json"):',
    `        return {"got": request.json(), "version": "${version}"}`,
    "    return bytes(reversed(request.body))",
    "",
  ].join("\n");

const BINARY = Uint8Array.from([0, 1, 2, 250, 255, 10, 13, 39]);

/** What an endpoint answers to a GET with a query, a POST with JSON, and a binary POST. */
async function callAllThreeWays(id: string) {
  const endpoint = `${APP_URL}/fn/${id}`;
  const get = await fetch(`${endpoint}/greet?name=Ada`);
  const json = await fetch(`${endpoint}/data`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ quote: 'it\'s "fine"', emoji: "🐍" }),
  });
  const binary = await fetch(`${endpoint}/bytes`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: BINARY,
  });
  return {
    get: { status: get.status, name: get.headers.get("x-name"), body: await get.json() },
    json: { status: json.status, body: await json.json() },
    binary: { status: binary.status, body: new Uint8Array(await binary.arrayBuffer()) },
  };
}

async function getVersionOf(id: string): Promise<string> {
  const response = await fetch(`${APP_URL}/fn/${id}/?name=x`);
  return ((await response.json()) as { version: string }).version;
}

/** Parses `curl -i` output: the last status line and headers block (curl may print 100 Continue), then the body. */
function parseCurlOutput(output: Buffer): WireResponse {
  let rest = output;
  let head = "";
  do {
    const end = rest.indexOf("\r\n\r\n");
    head = rest.subarray(0, end).toString("latin1");
    rest = rest.subarray(end + 4);
  } while (/^HTTP\/\S+ 1\d\d/.test(head));
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
  return { status: Number(statusLine.split(" ")[1]), headers, body: new Uint8Array(rest) };
}

describe("the whole story", () => {
  let browser: Browser;
  let owner: Page;
  let id = "";
  let forkId = "";

  before(async () => {
    ({ browser, page: owner } = await launchAppPage());
  });

  after(() => browser?.close());

  // The story's steps build on each other: a step whose starting point an earlier step failed to
  // make says so and skips, rather than failing for a reason that is not its own.
  const madeBefore = (t: TestContext, value: string, step: string) => {
    if (!value) t.skip(`${step} did not pass, and this step starts where it ends`);
    return value !== "";
  };
  const savedFirst = (t: TestContext) => madeBefore(t, id, "saving the snippet");
  const forkedFirst = (t: TestContext) => madeBefore(t, forkId, "forking it");

  test("write a Python handler, run it, save it with Ctrl+S", async () => {
    await owner.getByRole("button", { name: "New", exact: true }).click();
    await chooseLanguage(owner, "python");
    await writeCode(owner, storyHandler("one"));
    await owner.getByLabel("Path").fill("/greet");
    assert.equal(await runInBrowser(owner), "200");
    assert.deepEqual(JSON.parse((await owner.getByTestId("body").textContent()) ?? ""), {
      hello: "fnpad",
      version: "one",
    });
    await owner.getByLabel("Title").fill("Greeter");

    await owner.locator(".monaco-host .view-lines").click();
    await owner.keyboard.press("Control+s");
    await noticeMatching(owner, /Saved as a new snippet/);
    await owner.waitForURL(/\/s\/[A-Za-z0-9_-]+$/);
    id = snippetIdInUrl(owner);
    // The bar shows the endpoint's path; its tooltip (and Copy URL) the whole URL.
    assert.equal(await owner.getByTestId("endpoint-url").textContent(), `/fn/${id}`);
    assert.equal(
      await owner.getByTestId("endpoint-url").getAttribute("title"),
      `${APP_URL}/fn/${id}`,
    );
    assert.equal(await owner.getByTestId("share-url").getAttribute("href"), `${APP_URL}/s/${id}`);
    const stored = (await (await fetch(`${APP_URL}/api/snippets/${id}`)).json()) as {
      title: string;
    };
    assert.equal(stored.title, "Greeter");

    await writeCode(owner, storyHandler("two"));
    await owner.getByTestId("dirty").waitFor();
    assert.equal(await save(owner, /Saved version 2\./), id);
    assert.equal(await owner.getByTestId("dirty").count(), 0);
  });

  test("the share URL in a fresh browser shows the code, runs it, and forks it", async (t) => {
    if (!savedFirst(t)) return;
    const { context, page: visitor } = await openApp(browser, `/s/${id}`);
    await visitor.getByText('"two"').first().waitFor();
    await visitor.getByText("read-only here").waitFor();
    // The author's title, as text the visitor cannot change.
    await visitor.getByRole("heading", { name: "Greeter", exact: true }).waitFor();
    assert.equal(await visitor.getByLabel("Title").count(), 0);

    await writeCode(visitor, storyHandler("fork"));
    await visitor.getByLabel("Path").fill("/greet");
    assert.equal(await runInBrowser(visitor), "200");

    await visitor.getByRole("button", { name: "Save", exact: true }).click();
    await noticeMatching(visitor, /saved from another browser.*Fork/);
    assert.equal(snippetIdInUrl(visitor), id);
    await visitor.getByTestId("notice").getByRole("button", { name: "Fork" }).click();
    await noticeMatching(visitor, /Forked into a new snippet owned by this browser/);
    await visitor.waitForURL((url) => url.pathname.startsWith("/s/") && !url.pathname.endsWith(id));
    forkId = snippetIdInUrl(visitor);
    assert.notEqual(forkId, id);
    await visitor.getByText("· yours", { exact: true }).waitFor();
    await context.close();
  });

  test("a share link as chat leaves it (a full stop after it) opens the snippet; a cut-off one says so", async (t) => {
    if (!savedFirst(t)) return;
    const { context, page: visitor } = await openApp(browser, `/s/${id}.`);
    await visitor.getByRole("heading", { name: "Greeter", exact: true }).waitFor();
    assert.equal(new URL(visitor.url()).pathname, `/s/${id}`);
    await visitor.goto(`${APP_URL}/s/${id.slice(0, -1)}`);
    await noticeMatching(visitor, /Nothing to open at \/s\/\w+: a snippet's link is/);
    assert.equal(new URL(visitor.url()).pathname, "/");
    await context.close();
  });

  test("both endpoints answer a GET with a query, a POST with JSON, and a binary body", async (t) => {
    if (!savedFirst(t) || !forkedFirst(t)) return;
    for (const [snippet, version] of [
      [id, "two"],
      [forkId, "fork"],
    ] as const) {
      const answers = await callAllThreeWays(snippet);
      assert.deepEqual(answers.get, {
        status: 200,
        name: "Ada",
        body: { hello: "Ada", version },
      });
      assert.deepEqual(answers.json, {
        status: 200,
        body: { got: { quote: 'it\'s "fine"', emoji: "🐍" }, version },
      });
      assert.deepEqual(answers.binary, { status: 200, body: BINARY.slice().reverse() });
    }
  });

  test("opens version 1 (/s/:id@1) and restores it as the newest version", async (t) => {
    if (!savedFirst(t)) return;
    await owner.getByText("Versions (2)").click();
    await owner.getByRole("button", { name: "Open version 1" }).click();
    await owner.waitForURL(`${APP_URL}/s/${id}@1`);
    await owner.getByTestId("pinned").filter({ hasText: "Version 1 of 2" }).waitFor();
    await owner.getByText('"one"').first().waitFor();
    assert.equal(await getVersionOf(`${id}@1`), "one");

    await owner.getByRole("button", { name: "Restore version 1" }).click();
    await noticeMatching(owner, /Restored version 1 as version 3\./);
    await owner.waitForURL(`${APP_URL}/s/${id}`);
    assert.equal(await getVersionOf(id), "one");
    assert.equal(await getVersionOf(`${id}@2`), "two");
  });

  test("Copy as curl: the command, run by sh, gives the response the page showed", async (t) => {
    if (!savedFirst(t)) return;
    await owner.context().grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: APP_URL,
    });
    const requests = [
      {
        method: "POST",
        path: "/it's here",
        query: [{ enabled: true, name: "name", value: "Zoë 'quoted'" }],
        headers: [{ enabled: true, name: "Content-Type", value: "application/json" }],
        body: '{"text": "line 1\\nline \'2\'", "unicode": "日本語 🐍", "raw": "$HOME `id`"}',
        bodyEncoding: "text" as const,
      },
      {
        method: "PUT",
        path: "/bytes",
        query: [],
        headers: [{ enabled: true, name: "content-type", value: "application/octet-stream" }],
        body: Buffer.from(BINARY).toString("base64"),
        bodyEncoding: "base64" as const,
      },
    ];
    for (const request of requests) {
      await setRequest(owner, request);
      assert.equal(await runInBrowser(owner), "200");
      await owner.getByRole("button", { name: "Copy as curl" }).click();
      await owner.getByText("Copied").waitFor();
      const command = await owner.evaluate(() => navigator.clipboard.readText());
      assert.equal(command, await owner.getByTestId("curl-command").textContent());
      const { stdout } = await promisify(execFile)("sh", ["-c", command], { encoding: "buffer" });
      const fromCurl = parseCurlOutput(stdout);
      const { browser: shown } = await pageResponses(owner);
      assert.ok(shown);
      assert.deepEqual(compareResponses(shown, fromCurl), {
        status: false,
        headers: [],
        body: false,
      });
    }
    // "Copied" is feedback on one click: it goes by itself.
    await owner.getByText("Copied").waitFor({ state: "hidden", timeout: 6000 });
  });

  test("a save the server refuses (TypeScript syntax error) keeps the code and says why", async () => {
    await owner.getByRole("button", { name: "New", exact: true }).click();
    await owner.waitForURL(`${APP_URL}/`);
    await chooseLanguage(owner, "typescript");
    await writeCode(owner, "export default function handler() {\n  return (refused_marker;\n}\n");
    await owner.getByRole("button", { name: "Save", exact: true }).click();
    const text = await noticeMatching(owner, /Not saved: Line 2/);
    assert.match(text, /Your code is kept in this browser\. Fix it, then save again\./);
    assert.equal(new URL(owner.url()).pathname, "/");
    await owner.reload();
    await owner.waitForSelector('[data-editor="monaco"]');
    await owner.getByText("refused_marker").waitFor();
  });

  test("code that imports what fnpad does not have is refused in the page, before any request", async () => {
    await owner.getByRole("button", { name: "New", exact: true }).click();
    await owner.waitForURL(`${APP_URL}/`);
    await chooseLanguage(owner, "python");
    await writeCode(owner, "import requests\n\ndef handler(request):\n    return 'never saved'\n");
    const sent: string[] = [];
    const onRequest = (request: Request) => {
      if (request.method() === "POST" && request.url().includes("/api/snippets"))
        sent.push(request.url());
    };
    owner.on("request", onRequest);
    try {
      await owner.getByRole("button", { name: "Save", exact: true }).click();
      await noticeMatching(owner, /Not saved: Line 1.*requests/);
    } finally {
      owner.off("request", onRequest);
    }
    assert.deepEqual(sent, [], "the page sent code it knew would be refused");
    assert.equal(new URL(owner.url()).pathname, "/");
  });

  test("the server goes down while saving: the code is kept, the page says so; back up, it saves", async (t) => {
    if (!savedFirst(t)) return;
    await owner.goto(`${APP_URL}/s/${id}`);
    await owner.waitForSelector('[data-editor="monaco"]');
    await owner.getByText('"one"').first().waitFor();
    await writeCode(owner, storyHandler("kept_while_down"));

    const server = currentAppServer();
    await server.stop();
    try {
      await owner.getByRole("button", { name: "Save", exact: true }).click();
      const text = await noticeMatching(owner, /Couldn't reach the server/);
      assert.match(text, /your changes are kept in this browser; try Save again/);
      await owner.getByText('"kept_while_down"').first().waitFor();
      await owner.getByTestId("dirty").waitFor();
    } finally {
      await server.restart();
    }

    await owner.reload();
    await owner.waitForSelector('[data-editor="monaco"]');
    await noticeMatching(owner, /unsaved changes were restored/);
    await owner.getByText('"kept_while_down"').first().waitFor();
    await save(owner, /Saved version 4\./);
    assert.equal(await getVersionOf(id), "kept_while_down");
  });
});
