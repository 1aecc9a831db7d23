/** The page's snippet session, over an in-memory API, store, editor and address bar. */
import { beforeEach, describe, expect, test } from "vitest";
import { ApiError, type SnippetMeta, UNREACHABLE } from "../../web/src/api.ts";
import { DEFAULT_DRAFT } from "../../web/src/request-draft.ts";
import { SnippetSession } from "../../web/src/snippet/session.ts";
import type { SnippetApi } from "../../web/src/snippet/session-ports.ts";
import { browserStore, SNIPPET_COPIES, SNIPPET_COPY_CHARS } from "../../web/src/storage.ts";
import type {
  CreatedSnippet,
  SavedRequest,
  SnippetVersionView,
  SnippetView,
} from "../../workers/api-types.ts";
import type { Language } from "../../workers/runtime-protocol.ts";
import { newSnippetId } from "../../workers/snippet-ref.ts";

/** A snippet server in memory, with the API's rules: tokens, versions, 403 without the token. */
class MemoryApi implements SnippetApi {
  readonly snippets = new Map<
    string,
    {
      language: Language;
      title: string;
      description: string;
      request: SavedRequest | null;
      token: string;
      versions: string[];
      frozen?: number | null;
    }
  >();
  down = false;
  /** The next write is refused so (the server's answer to code it will not save). */
  refusal: ApiError | null = null;
  /** Holds the next write until `release()` is called. */
  hold: Promise<void> | null = null;

  view(id: string): SnippetView {
    const s = this.#get(id);
    const version = s.versions.length;
    const at = "2026-01-01T00:00:00Z";
    return {
      id,
      language: s.language,
      title: s.title,
      description: s.description,
      request: s.request,
      version,
      frozenVersion: s.frozen ?? null,
      code: s.versions[version - 1] ?? "",
      createdAt: at,
      updatedAt: at,
      forkedFrom: null,
      shareUrl: `/s/${id}`,
      endpointUrl: `/fn/${id}`,
    };
  }
  /** The ids of the snippets made so far, in order. */
  readonly made: string[] = [];
  async createSnippet(
    language: Language,
    code: string,
    meta: SnippetMeta = {},
  ): Promise<CreatedSnippet> {
    await this.#write();
    const id = newSnippetId();
    this.made.push(id);
    const { title = "", description = "", request = null } = meta;
    const token = `t-${id}`;
    this.snippets.set(id, { language, title, description, request, token, versions: [code] });
    return { ...this.view(id), token: `t-${id}` };
  }
  async getSnippet(id: string) {
    this.#up();
    return this.view(id);
  }
  async updateSnippet(id: string, token: string, code: string, meta: SnippetMeta = {}) {
    await this.#write();
    const s = this.#get(id);
    if (token !== s.token) throw new ApiError(403, "forbidden", "wrong token");
    s.versions.push(code);
    Object.assign(s, meta);
    return this.view(id);
  }
  async listVersions(id: string) {
    this.#up();
    return this.#get(id)
      .versions.map((code, i) => ({ version: i + 1, createdAt: "", size: code.length }))
      .reverse();
  }
  async getVersion(id: string, version: number): Promise<SnippetVersionView> {
    this.#up();
    const s = this.#get(id);
    const code = s.versions[version - 1];
    if (code === undefined) throw new ApiError(404, "not_found", "no such version");
    return {
      id,
      language: s.language,
      version,
      code,
      createdAt: "",
      endpointUrl: `/fn/${id}@${version}`,
    };
  }
  async freezeSnippet(id: string, token: string, version: number | null) {
    await this.#write();
    const s = this.#get(id);
    if (token !== s.token) throw new ApiError(403, "forbidden", "wrong token");
    s.frozen = version;
    return this.view(id);
  }
  async forkSnippet(id: string, version?: number) {
    const s = this.#get(id);
    const code = s.versions[(version ?? s.versions.length) - 1] ?? "";
    const { title, description, request } = s;
    return this.createSnippet(s.language, code, { title, description, request });
  }
  #get(id: string) {
    const s = this.snippets.get(id);
    if (!s) throw new ApiError(404, "not_found", `no snippet ${id}`);
    return s;
  }
  #up() {
    if (this.down) throw new ApiError(UNREACHABLE, "unreachable", "offline");
  }
  async #write() {
    if (this.hold) await this.hold;
    this.#up();
    const refusal = this.refusal;
    this.refusal = null;
    if (refusal) throw refusal;
  }
}

let api: MemoryApi;
let backing: Map<string, string>;
let editor: { language: Language; code: string };
let path: string;
let builder: SavedRequest;
let session: SnippetSession;

/** Makes the page's session and opens the address; `beforeOpen` runs in between. */
function start(at = "/", beforeOpen?: () => void) {
  path = at;
  session = new SnippetSession({
    api,
    store: browserStore({
      getItem: (k) => backing.get(k) ?? null,
      setItem: (k, v) => void backing.set(k, v),
      removeItem: (k) => void backing.delete(k),
    }),
    editor: {
      current: () => editor,
      show: (language, code) => {
        editor = { language, code };
      },
    },
    requestBuilder: {
      current: () => builder,
      show: (request) => {
        builder = request;
      },
    },
    address: {
      pathname: () => path,
      push: (p) => {
        path = p;
      },
      replace: (p) => {
        path = p;
      },
    },
  });
  beforeOpen?.();
  return session.openAddress();
}

/** Types into the editor, as the user would. */
function type(code: string) {
  editor = { ...editor, code };
  session.edit(code);
}

beforeEach(() => {
  api = new MemoryApi();
  backing = new Map();
  editor = { language: "python", code: "" };
  builder = { ...DEFAULT_DRAFT };
});

describe("the snippet session", () => {
  test("a new snippet saves with its title, then saves versions; the address bar follows", async () => {
    await start();
    type("def handler(r): return 1");
    session.editTitle("Hello");
    await session.save();
    const [id] = api.made as [string];
    expect(path).toBe(`/s/${id}`);
    expect(session.state).toMatchObject({
      owned: true,
      busy: null,
      title: "Hello",
      notice: { tone: "success" },
    });
    expect(backing.get(`fnpad:token:${id}`)).toBe(`t-${id}`);
    expect(backing.has("fnpad:code:python")).toBe(false);
    type("def handler(r): return 2");
    expect(backing.get(`fnpad:draft:${id}`)).toBe("def handler(r): return 2");
    await session.save();
    expect(api.view(id)).toMatchObject({
      version: 2,
      code: "def handler(r): return 2",
      title: "Hello",
    });
    expect(backing.has(`fnpad:draft:${id}`)).toBe(false);
  });

  test("code typed into a new snippet before the session loaded is what it opens, kept as its draft", async () => {
    // The page takes edits before the session's code has loaded; opening must not put back the
    // draft from before over them.
    backing.set("fnpad:code:python", "def handler(r): return 'earlier'");
    editor = { language: "python", code: "def handler(r): return 'earlier'" };
    await start("/", () => {
      editor = { ...editor, code: "def handler(r): return 'typed first'" };
      session.keepEarlyEdit();
    });
    expect(editor.code).toBe("def handler(r): return 'typed first'");
    expect(backing.get("fnpad:code:python")).toBe("def handler(r): return 'typed first'");
  });

  test("what the editor held before a saved snippet opened is not taken for that snippet's draft", async () => {
    const { id } = await api.createSnippet("python", "def handler(r): return 'saved'");
    await start(`/s/${id}`, () => {
      editor = { ...editor, code: "def handler(r): return 'the new-snippet page'" };
      session.keepEarlyEdit();
    });
    expect(editor.code).toBe("def handler(r): return 'saved'");
    expect(backing.has(`fnpad:draft:${id}`)).toBe(false);
    expect(backing.has("fnpad:code:python")).toBe(false);
  });

  test("New on a new snippet's draft starts again from the example; Undo puts the draft back", async () => {
    await start();
    const example = editor.code;
    type("def handler(r): return 'mine'");
    session.editTitle("Mine");
    session.startOver();
    expect(editor.code).toBe(example);
    expect(session.state).toMatchObject({ title: "", notice: { offerUndo: true } });
    expect(backing.has("fnpad:code:python")).toBe(false);
    session.undoStartOver();
    expect(editor.code).toBe("def handler(r): return 'mine'");
    expect(session.state).toMatchObject({ title: "Mine", notice: null });
    expect(backing.get("fnpad:code:python")).toBe("def handler(r): return 'mine'");
    // An edit after starting again keeps the edit: Undo is gone.
    session.startOver();
    type("def handler(r): return 'new'");
    expect(session.state.notice).toBeNull();
    session.undoStartOver();
    expect(editor.code).toBe("def handler(r): return 'new'");
    // On the example itself there is nothing to start again from.
    session.startOver();
    session.startOver();
    expect(session.state.notice?.offerUndo).toBe(true);
    session.dismiss();
    session.startOver();
    expect(session.state.notice).toBeNull();
  });

  test("a visitor's save offers a fork instead; the fork is theirs and the original is unchanged", async () => {
    const other = await api.createSnippet("python", "original");
    await start(`/s/${other.id}`);
    expect(session.state.owned).toBe(false);
    type("mine");
    await session.save();
    expect(session.state.notice?.offerFork).toBe(true);
    await session.fork();
    const fork = api.made[1];
    expect(path).toBe(`/s/${fork}`);
    expect(session.state).toMatchObject({ owned: true, snippet: { id: fork, code: "mine" } });
    expect(api.view(other.id).code).toBe("original");
  });

  test("the Fork offer comes from the status: 403 offers it, a server error does not", async () => {
    const s = await api.createSnippet("python", "x");
    backing.set(`fnpad:token:${s.id}`, "stale token");
    await start(`/s/${s.id}`);
    type("y");
    await session.save();
    expect(session.state.notice).toMatchObject({ tone: "error", offerFork: true });
    api.updateSnippet = async () => {
      throw new ApiError(500, "internal", "Fork it? no");
    };
    await session.save();
    expect(session.state.notice).toMatchObject({ tone: "error", offerFork: false });
  });

  test("a failed save keeps the code as a draft and says so", async () => {
    await start();
    type("keep me");
    api.down = true;
    await session.save();
    expect(session.state.notice?.text).toMatch(/kept in this browser/);
    expect(session.state.busy).toBeNull();
    expect(backing.get("fnpad:code:python")).toBe("keep me");
    api.down = false;
    await session.save();
    expect(api.view(api.made[0] ?? "").code).toBe("keep me");
  });

  test("a save refused for its code is said until the code changes; one that could not reach the server stays", async () => {
    await start();
    type("import numpy");
    api.refusal = new ApiError(422, "unknown_import", "No module named 'numpy'");
    await session.save();
    expect(session.state.notice?.text).toMatch(/Not saved: No module named 'numpy'/);
    type("import json");
    expect(session.state.notice).toBeNull();
    api.down = true;
    await session.save();
    type("import json  # still");
    expect(session.state.notice?.text).toMatch(/Couldn't reach the server/);
  });

  test("a version the snippet never had opens its latest, and says so", async () => {
    const s = await api.createSnippet("python", "v1");
    await api.updateSnippet(s.id, s.token, "v2");
    await start(`/s/${s.id}@99`);
    expect(editor.code).toBe("v2");
    expect(session.state.pinned).toBeNull();
    expect(session.state.route).toEqual({ kind: "snippet", id: s.id, version: null });
    expect(session.state.notice?.text).toMatch(
      /There is no version 99: this is the latest, version 2/,
    );
    expect(path).toBe(`/s/${s.id}`);
  });

  test("a snippet opened once opens again with the server out of reach, from this browser's copy", async () => {
    const s = await api.createSnippet("python", "v1", { title: "Talk demo" });
    await start(`/s/${s.id}`);
    api.down = true;
    await start(`/s/${s.id}`);
    expect(session.state).toMatchObject({
      snippet: { id: s.id, version: 1, code: "v1", title: "Talk demo" },
      busy: null,
      notice: { tone: "info" },
    });
    expect(session.state.notice?.text).toMatch(/can't be reached: this is version 1/);
    expect(editor.code).toBe("v1");
    // One never opened here has no copy: the error, as before.
    const unseen = await (async () => {
      api.down = false;
      const other = await api.createSnippet("python", "other");
      api.down = true;
      return other.id;
    })();
    await start(`/s/${unseen}`);
    expect(session.state).toMatchObject({ snippet: null, notice: { tone: "error" } });
    // A 404 is an answer, not an outage: no copy stands in for a deleted snippet.
    api.down = false;
    api.snippets.delete(s.id);
    await start(`/s/${s.id}`);
    expect(session.state).toMatchObject({ snippet: null, notice: { tone: "error" } });
  });

  test("a copy never holds the edit token; a full storage gives up the copies, not a draft", async () => {
    await start();
    type("def handler(r): return 1");
    await session.save();
    const [id] = api.made as [string];
    const copy = backing.get(`fnpad:copy:${id}`) ?? "";
    expect(JSON.parse(copy)).toMatchObject({ id, code: "def handler(r): return 1" });
    expect(copy).not.toContain(`t-${id}`);
    // The storage fills up: the next draft still goes in, in place of the copies.
    const setItem = backing.set.bind(backing);
    backing.set = (key: string, value: string) => {
      const used = [...backing.entries()].reduce((n, [k, v]) => n + k.length + v.length, 0);
      if (used + value.length > 200) throw new DOMException("full", "QuotaExceededError");
      return setItem(key, value);
    };
    type("x".repeat(150));
    expect(backing.get(`fnpad:draft:${id}`)).toBe("x".repeat(150));
    expect([...backing.keys()].some((key) => key.startsWith("fnpad:copy"))).toBe(false);
  });

  test("a snippet too big to keep offline is not kept", async () => {
    const s = await api.createSnippet("python", "x".repeat(SNIPPET_COPY_CHARS));
    await start(`/s/${s.id}`);
    expect(backing.has(`fnpad:copy:${s.id}`)).toBe(false);
  });

  test("the copies kept are the last few opened or saved, no more", async () => {
    const ids: string[] = [];
    for (let n = 0; n < SNIPPET_COPIES + 2; n += 1) {
      const s = await api.createSnippet("python", `v${n}`);
      ids.push(s.id);
      await start(`/s/${s.id}`);
    }
    const kept = [...backing.keys()].filter((key) => key.startsWith("fnpad:copy:"));
    expect(kept.sort()).toEqual(
      ids
        .slice(2)
        .map((id) => `fnpad:copy:${id}`)
        .sort(),
    );
  });

  test("an older version opens pinned, with a draft of its own, and restores as the newest", async () => {
    const s = await api.createSnippet("python", "v1");
    backing.set(`fnpad:token:${s.id}`, s.token);
    await api.updateSnippet(s.id, s.token, "v2");
    await start(`/s/${s.id}@1`);
    expect(session.state.pinned?.version).toBe(1);
    expect(editor.code).toBe("v1");
    type("v1 edited");
    expect(backing.get(`fnpad:draft:${s.id}@1`)).toBe("v1 edited");
    expect(backing.has(`fnpad:draft:${s.id}`)).toBe(false);
    await session.restore(1);
    expect(session.state.notice?.text).toMatch(/unsaved changes/);
    session.discard();
    await session.restore(1);
    expect(api.view(s.id)).toMatchObject({ version: 3, code: "v1" });
    expect(session.state).toMatchObject({ pinned: null, route: { version: null } });
  });

  test("a save that ends after the user opened another snippet leaves that one's editor alone", async () => {
    const other = await api.createSnippet("python", "other's code");
    await start();
    type("my new code");
    let release = () => {};
    api.hold = new Promise((resolve) => {
      release = resolve;
    });
    const saving = session.save();
    await session.navigate({ kind: "snippet", id: other.id, version: null });
    release();
    await saving;
    expect(editor.code).toBe("other's code");
    expect(path).toBe(`/s/${other.id}`);
    const saved = api.made[1] ?? "";
    expect(session.state.notice?.text).toContain(`${saved}, version 1: open /s/${saved}`);
    expect(backing.has(`fnpad:draft:${other.id}`)).toBe(false);
    expect(api.view(saved).code).toBe("my new code");
  });

  test("an unknown snippet says so, and New starts from the saved new-snippet code", async () => {
    await start("/s/zzzz23456789");
    expect(session.state.notice?.text).toMatch(/Couldn't open the snippet/);
    backing.set("fnpad:code:python", "draft of a new one");
    await session.navigate({ kind: "new" });
    expect(path).toBe("/");
    expect(editor.code).toBe("draft of a new one");
  });

  test("a share link as chat, Markdown or a slide leaves it opens its snippet, and the address is tidied", async () => {
    await start();
    type("def handler(r): return 1");
    await session.save();
    const { id } = session.state.snippet ?? { id: "" };
    for (const written of [`/s/${id}.`, `/s/${id})`, `/s/${id.toUpperCase()}`, `/s/${id}@1'`]) {
      await start(written);
      expect(session.state.snippet?.id, written).toBe(id);
      expect(session.state.notice).toBeNull();
      expect(path).toBe(written.includes("@") ? `/s/${id}@1` : `/s/${id}`);
    }
  });

  test("an address that names nothing opens a new snippet and says so, rather than look like one", async () => {
    for (const written of ["/s/nterckfpfb7x9", "/s/abc", "/s/nterckfpfb7@x", "/nonexistent/page"]) {
      await start(written);
      expect(session.state.route).toEqual({ kind: "new" });
      expect(session.state.notice).toMatchObject({ tone: "error" });
      expect(session.state.notice?.text).toContain(`Nothing to open at ${written}`);
      expect(path).toBe("/");
    }
  });

  test("the author's request and description are saved, and a visitor starts from them", async () => {
    await start();
    type("def handler(r): return r.path");
    builder = { ...DEFAULT_DRAFT, method: "POST", path: "/orders", body: '{"n": 1}' };
    session.editDescription("Takes an order");
    await session.save();
    const [id] = api.made as [string];
    expect(api.view(id)).toMatchObject({
      description: "Takes an order",
      request: { path: "/orders" },
    });

    // Someone else opens the share URL with their own last request in the builder.
    backing.clear();
    builder = { ...DEFAULT_DRAFT, path: "/theirs" };
    await start(`/s/${id}`);
    expect(builder).toMatchObject({ method: "POST", path: "/orders", body: '{"n": 1}' });
    expect(session.state).toMatchObject({ owned: false, description: "Takes an order" });
    await session.fork();
    expect(api.view(api.made[1] ?? "")).toMatchObject({ request: { path: "/orders" } });
  });
});
