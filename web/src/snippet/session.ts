/**
 * The snippet the page shows, as one plain object: which snippet or version the address bar
 * names, its saved code and the unsaved draft, who may change it, and save / fork / restore /
 * discard. UI code subscribes to its state and calls its methods; it touches the network, the
 * browser's storage and the editor only through the ports it is given, so it runs in Node tests.
 */
import type {
  CreatedSnippet,
  SnippetVersionView,
  SnippetView,
} from "../../../workers/api-types.ts";
import type { Language } from "../../../workers/runtime-protocol.ts";
import { ApiError, UNREACHABLE } from "../api.ts";
import { type Action, failureMessage } from "../failure-message.ts";
import { parseRoute, type Route, routePath, type UnknownAddress } from "../route.ts";
import type { BrowserStore } from "../storage.ts";
import type {
  AddressBar,
  EditorBridge,
  Notice,
  RequestBridge,
  SessionPorts,
  SnippetApi,
  SnippetState,
} from "./session-ports.ts";
import { NO_SNIPPET } from "./starting-state.ts";

/** Where edits in the editor are kept: a new snippet's per-language code, a saved snippet's draft, or nowhere (loading). */
type DraftTarget = { kind: "new" } | { kind: "snippet"; key: string } | { kind: "none" };

const draftKey = (id: string, pinned: SnippetVersionView | null) =>
  pinned ? `${id}@${pinned.version}` : id;

export class SnippetSession {
  readonly #api: SnippetApi;
  readonly #store: BrowserStore;
  readonly #editor: EditorBridge;
  readonly #builder: RequestBridge;
  readonly #address: AddressBar;
  readonly #listeners = new Set<(state: SnippetState) => void>();
  #state: SnippetState;
  #draftTarget: DraftTarget = { kind: "none" };
  /** Counts opens: an answer that arrives after the user opened something else is not shown. */
  #ticket = 0;
  /** The new snippet's draft that `startOver` replaced, until Undo, the next edit or open. */
  #replacedDraft: { language: Language; code: string; title: string; description: string } | null =
    null;

  constructor(ports: SessionPorts) {
    this.#api = ports.api;
    this.#store = ports.store;
    this.#editor = ports.editor;
    this.#builder = ports.requestBuilder;
    this.#address = ports.address;
    const route = parseRoute(ports.address.pathname());
    this.#state = { route: route.kind === "unknown" ? { kind: "new" } : route, ...NO_SNIPPET };
  }

  get state(): SnippetState {
    return this.#state;
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: SnippetState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records an edit the user made in the editor (as the new snippet's code or the open snippet's draft). */
  edit(code: string): void {
    if (this.#replacedDraft) this.#forgetReplacedDraft();
    if (this.#state.notice?.aboutOldCode) this.#patch({ notice: null });
    const target = this.#draftTarget;
    if (target.kind === "new") this.#store.saveCode(this.#editor.current().language, code);
    if (target.kind === "snippet") this.#store.saveSnippetDraft(target.key, code);
  }

  /** Records an edit of the title. */
  editTitle(title: string): void {
    this.#patch({ title });
  }

  /** Records an edit of the description. */
  editDescription(description: string): void {
    this.#patch({ description });
  }

  /** Opens what `route` names and puts it in the address bar. */
  navigate(route: Route): Promise<void> {
    this.#address.push(routePath(route));
    return this.open(route);
  }

  /**
   * New, pressed on a new snippet's draft: the language's example again, with no title or
   * description, as New promises (it had kept the draft, and nothing led back to the example).
   * The draft stays at hand behind the notice's Undo until the next edit or open.
   */
  startOver(): void {
    if (this.#draftTarget.kind !== "new") {
      void this.navigate({ kind: "new" });
      return;
    }
    const { language, code } = this.#editor.current();
    const { title, description } = this.#state;
    this.#store.clearCode(language);
    const example = this.#store.loadCode(language);
    if (code === example && title === "" && description === "") return;
    this.#replacedDraft = { language, code, title, description };
    this.#editor.show(language, example);
    const notice: Notice = {
      tone: "info",
      text: "Started again from the example.",
      offerUndo: true,
    };
    this.#patch({ title: "", description: "", notice });
  }

  /** Puts back the draft `startOver` replaced. */
  undoStartOver(): void {
    const draft = this.#replacedDraft;
    if (!draft || this.#draftTarget.kind !== "new") return;
    this.#replacedDraft = null;
    this.#store.saveCode(draft.language, draft.code);
    this.#editor.show(draft.language, draft.code);
    this.#patch({ title: draft.title, description: draft.description, notice: null });
  }

  #forgetReplacedDraft(): void {
    this.#replacedDraft = null;
    if (this.#state.notice?.offerUndo) this.#patch({ notice: null });
  }

  /**
   * Keeps code typed into a new snippet's editor before the session first opened the address
   * (the page takes edits before the session has loaded) as that snippet's draft, so that
   * opening it shows what was typed rather than the draft from before.
   */
  keepEarlyEdit(): void {
    if (this.#draftTarget.kind !== "none" || this.#state.route.kind !== "new") return;
    const { language, code } = this.#editor.current();
    if (code !== this.#store.loadCode(language)) this.#store.saveCode(language, code);
  }

  /** Opens what the address bar names (on load, and on the browser's back and forward). */
  openAddress(): Promise<void> {
    return this.open(parseRoute(this.#address.pathname()));
  }

  /**
   * Opens what `route` names (the address bar already shows it, maybe as it was typed: it then
   * shows the route as the app writes it). An address that names nothing opens a new snippet
   * and says so, rather than pass off a mistyped link as a blank page.
   */
  async open(route: Route | UnknownAddress): Promise<void> {
    if (route.kind === "unknown") {
      this.#address.replace("/");
      await this.open({ kind: "new" });
      this.#patch({ notice: unknownAddress(route.path) });
      return;
    }
    const written = routePath(route);
    if (this.#address.pathname() !== written) this.#address.replace(written);
    const ticket = ++this.#ticket;
    this.#replacedDraft = null;
    if (route.kind === "new") {
      const language = this.#store.loadLanguage();
      this.#draftTarget = { kind: "new" };
      this.#editor.show(language, this.#store.loadCode(language));
      this.#patch({ route, ...NO_SNIPPET });
      return;
    }
    this.#draftTarget = { kind: "none" };
    this.#patch({ route, busy: "load", notice: null });
    try {
      const { snippet, offline } = await this.#fetchOrCopy(route.id);
      const pinned =
        route.version && route.version !== snippet.version
          ? await this.#api.getVersion(route.id, route.version).catch(noSuchVersion)
          : null;
      // A version it never had (`@99`): the snippet is there, so its latest opens, and says so.
      const missingVersion = route.version !== null && route.version !== snippet.version && !pinned;
      if (missingVersion) this.#address.replace(routePath({ ...route, version: null }));
      if (ticket !== this.#ticket) return;
      const key = draftKey(snippet.id, pinned);
      const saved = pinned?.code ?? snippet.code;
      const draft = this.#store.loadSnippetDraft(key);
      this.#editor.show(snippet.language, draft ?? saved);
      this.#draftTarget = { kind: "snippet", key };
      const restored = draft !== null && draft !== saved;
      const notices = [
        missingVersion
          ? `There is no version ${route.version}: this is the latest, version ${snippet.version}.`
          : "",
        offline
          ? `The server can't be reached: this is version ${snippet.version} as this browser last opened it. Runs in the browser work; saving needs the network.`
          : "",
        restored ? "Your unsaved changes were restored from this browser." : "",
      ].filter(Boolean);
      const notice: Notice | null =
        notices.length > 0 ? { tone: "info", text: notices.join(" ") } : null;
      const owned = this.#store.loadToken(snippet.id) !== null;
      // Visitors (and the author in another browser) start from the request saved with it.
      if (snippet.request) this.#builder.show(snippet.request);
      this.#patch({
        route: missingVersion ? { ...route, version: null } : route,
        snippet,
        pinned,
        owned,
        busy: null,
        notice,
        versions: [],
        title: snippet.title,
        description: snippet.description,
      });
      void this.#refreshVersions(snippet.id);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      this.#patch({ snippet: null, busy: null, notice: failed(error, "load") });
    }
  }

  /** Saves the editor's code (and title): a new snippet, or the open one's next version. */
  async save(): Promise<void> {
    const { route, snippet, owned, busy, pinned, title, description } = this.#state;
    if (busy) return;
    if (route.kind === "snippet" && !snippet) return;
    if (snippet && !owned) {
      const text =
        "This snippet was saved from another browser, so this one can't change it. Fork it to save your version as a new snippet of your own.";
      this.#patch({ notice: { tone: "info", text, offerFork: true } });
      return;
    }
    const { language, code } = this.#editor.current();
    // The builder's request is saved too: visitors, forks and Copy as curl start from it.
    const meta = { title, description, request: this.#builder.current() };
    const ticket = this.#ticket;
    this.#patch({ busy: "save" });
    try {
      if (!snippet) {
        const created = await this.#api.createSnippet(language, code, meta);
        this.#store.saveToken(created.id, created.token);
        this.#store.clearCode(language);
        const text =
          "Saved as a new snippet. Share its URL; this browser keeps the edit token, so Save adds versions.";
        this.#settleIfStill(ticket, created, { tone: "success", text });
        return;
      }
      const token = this.#store.loadToken(snippet.id) ?? "";
      const updated = await this.#api.updateSnippet(snippet.id, token, code, meta, language);
      if (pinned) this.#store.clearSnippetDraft(draftKey(snippet.id, pinned));
      const text = `Saved version ${updated.version}.`;
      this.#settleIfStill(ticket, updated, { tone: "success", text });
    } catch (error) {
      const refused = error instanceof ApiError && (error.status === 413 || error.status === 422);
      this.#patch({ busy: null, notice: { ...failed(error, "save"), aboutOldCode: refused } });
    }
  }

  /** Copies the open snippet (or pinned version) into a new snippet this browser owns, with the editor's code. */
  async fork(): Promise<void> {
    const { snippet: source, pinned, busy } = this.#state;
    if (!source || busy) return;
    const ticket = this.#ticket;
    this.#patch({ busy: "fork" });
    const { code } = this.#editor.current();
    let forked: CreatedSnippet | null = null;
    try {
      forked = await this.#api.forkSnippet(source.id, pinned?.version);
      this.#store.saveToken(forked.id, forked.token);
      const own =
        code === forked.code
          ? forked
          : await this.#api.updateSnippet(forked.id, forked.token, code);
      this.#store.clearSnippetDraft(draftKey(source.id, pinned));
      this.#settleIfStill(ticket, own, {
        tone: "success",
        text: `Forked into a new snippet owned by this browser (${forked.id}); Save now updates your copy. The original ${source.id} is unchanged.`,
      });
    } catch (error) {
      // The copy exists but the edits did not reach it: open the copy, keeping the edits as its draft.
      if (forked) this.#settleIfStill(ticket, forked, failed(error, "save"));
      else this.#patch({ busy: null, notice: failed(error, "fork") });
    }
  }

  /** Saves stored version `version` as the newest version, and shows it. */
  async restore(version: number): Promise<void> {
    const { snippet, pinned, busy } = this.#state;
    if (!snippet || busy) return;
    const saved = pinned?.code ?? snippet.code;
    if (this.#editor.current().code !== saved) {
      const text = "You have unsaved changes: save or discard them before restoring a version.";
      this.#patch({ notice: { tone: "error", text } });
      return;
    }
    const ticket = this.#ticket;
    this.#patch({ busy: "restore" });
    try {
      const old =
        pinned?.version === version ? pinned : await this.#api.getVersion(snippet.id, version);
      const token = this.#store.loadToken(snippet.id) ?? "";
      const updated = await this.#api.updateSnippet(snippet.id, token, old.code);
      const text = `Restored version ${version} as version ${updated.version}.`;
      this.#settleIfStill(ticket, updated, { tone: "success", text }, old.code);
    } catch (error) {
      this.#patch({ busy: null, notice: failed(error, "restore") });
    }
  }

  /**
   * Pins the public endpoint to `version` (the audience keeps calling it while the owner goes on
   * saving), or with `null` lets it serve the latest again.
   */
  async freeze(version: number | null): Promise<void> {
    const { snippet, owned, busy } = this.#state;
    if (!snippet || !owned || busy) return;
    this.#patch({ busy: "freeze" });
    try {
      const token = this.#store.loadToken(snippet.id) ?? "";
      const updated = await this.#api.freezeSnippet(snippet.id, token, version);
      const text =
        version === null
          ? "The endpoint serves the latest version again."
          : `The endpoint is frozen at version ${version}: saving goes on, callers keep getting version ${version}.`;
      this.#patch({ snippet: updated, busy: null, notice: { tone: "success", text } });
    } catch (error) {
      this.#patch({ busy: null, notice: failed(error, "freeze") });
    }
  }

  /** Throws away the unsaved edits of the open snippet, showing its saved code again. */
  discard(): void {
    const { snippet, pinned } = this.#state;
    if (!snippet) return;
    this.#store.clearSnippetDraft(draftKey(snippet.id, pinned));
    this.#editor.show(snippet.language, pinned?.code ?? snippet.code);
    this.#patch({
      title: snippet.title,
      description: snippet.description,
      notice: { tone: "info", text: "Unsaved changes discarded." },
    });
  }

  /** Hides the notice. */
  dismiss(): void {
    this.#patch({ notice: null });
  }

  /**
   * The snippet from the server, or, when the server is out of reach, the copy this browser kept
   * when it last showed it.
   */
  async #fetchOrCopy(id: string): Promise<{ snippet: SnippetView; offline: boolean }> {
    try {
      return { snippet: await this.#api.getSnippet(id), offline: false };
    } catch (error) {
      const unreachable = error instanceof ApiError && error.status === UNREACHABLE;
      const copy = unreachable ? this.#store.loadSnippetCopy(id) : null;
      if (!copy) throw error;
      return { snippet: copy, offline: true };
    }
  }

  async #refreshVersions(id: string): Promise<void> {
    const versions = await this.#api.listVersions(id).catch(() => null);
    if (versions && this.#state.snippet?.id === id) this.#patch({ versions });
  }

  /**
   * Settles a save, fork or restore begun at `ticket`, unless the user has since opened another
   * snippet: the editor now shows that one, so it must not be taken for the saved one's draft.
   */
  #settleIfStill(
    ticket: number,
    snippet: SnippetView,
    notice: Notice,
    shown: string | null = null,
  ) {
    if (this.#ticket === ticket) return this.#settle(snippet, notice, shown);
    const text = `${notice.text} (${snippet.id}, version ${snippet.version}: open /s/${snippet.id} to see it.)`;
    this.#patch({ busy: null, notice: { ...notice, text } });
  }

  /** Shows a saved snippet whose latest version is `snippet`, keeping edits made meanwhile. */
  #settle(snippet: SnippetView, notice: Notice | null, shown: string | null): void {
    const key = draftKey(snippet.id, null);
    if (shown !== null) this.#editor.show(snippet.language, shown);
    const { code } = this.#editor.current();
    const previous = this.#draftTarget;
    if (code !== snippet.code) this.#store.saveSnippetDraft(key, code);
    // What was just saved is no longer a draft. Another version's draft (the latest's, while an
    // older version was being saved or restored) stays: it holds edits never saved.
    else if (previous.kind === "snippet") this.#store.clearSnippetDraft(previous.key);
    this.#draftTarget = { kind: "snippet", key };
    const route: Route = { kind: "snippet", id: snippet.id, version: null };
    if (this.#address.pathname() !== routePath(route)) this.#address.push(routePath(route));
    const owned = this.#store.loadToken(snippet.id) !== null;
    const { title, description } = snippet;
    this.#patch({ route, snippet, pinned: null, owned, busy: null, notice, title, description });
    void this.#refreshVersions(snippet.id);
  }

  #patch(next: Partial<SnippetState>): void {
    // Whatever snippet is shown (opened, saved, forked, restored, frozen) is kept for offline use.
    if (next.snippet && next.snippet !== this.#state.snippet)
      this.#store.saveSnippetCopy(next.snippet);
    this.#state = { ...this.#state, ...next };
    for (const listener of this.#listeners) listener(this.#state);
  }
}

/** Null for a 404 (the snippet has no such version); any other failure stays one. */
function noSuchVersion(error: unknown): null {
  if (error instanceof ApiError && error.status === 404) return null;
  throw error;
}

/** Says that `path` names nothing, and what a snippet's link looks like. */
function unknownAddress(path: string): Notice {
  const shown = path.length > 60 ? `${path.slice(0, 59)}…` : path;
  return {
    tone: "error",
    text: `Nothing to open at ${shown}: a snippet's link is /s/ and its 12-character id (like /s/k3xq7m2pwt9e). This is a new snippet.`,
  };
}

/** The notice for a failed call; a refusal for want of the edit token offers a fork. */
function failed(error: unknown, action: Action): Notice {
  const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
  return { tone: "error", text: failureMessage(error, action), offerFork: refused };
}
