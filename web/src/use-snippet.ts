import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type {
  CreatedSnippet,
  Language,
  SnippetVersionView,
  SnippetView,
  VersionSummary,
} from "../../workers/protocol.ts";
import * as api from "./api.ts";
import { type Action, failureMessage } from "./failure-message.ts";
import { parseRoute, type Route, routePath } from "./route.ts";
import * as storage from "./storage.ts";

/** A message about the last save, fork, restore or load; `offerFork` adds a Fork button. */
export interface Notice {
  tone: "info" | "success" | "error";
  text: string;
  offerFork?: boolean;
}

/** Where edits in the editor are kept: a new snippet's per-language code, a saved snippet's draft, or nowhere (loading). */
export type DraftTarget = { kind: "new" } | { kind: "snippet"; key: string } | { kind: "none" };

/** How the snippet logic reads and replaces the editor's content. */
export interface EditorBridge {
  current(): { language: Language; code: string };
  /** Shows `code` without recording it as an edit. */
  show(language: Language, code: string): void;
}

export interface SnippetState {
  route: Route;
  /** The saved snippet (its latest version), once loaded. */
  snippet: SnippetView | null;
  /** The older version the route names, when it is not the latest. */
  pinned: SnippetVersionView | null;
  /** Whether this browser holds the snippet's edit token. */
  owned: boolean;
  busy: Action | null;
  notice: Notice | null;
  /** The snippet's versions, newest first. */
  versions: VersionSummary[];
}

const draftKey = (id: string, pinned: SnippetVersionView | null) =>
  pinned ? `${id}@${pinned.version}` : id;

/** Save, fork, versions and restore for the snippet the address bar names. */
export function useSnippet(editor: EditorBridge) {
  const [state, setState] = useState<SnippetState>(() => ({
    route: parseRoute(location.pathname),
    snippet: null,
    pinned: null,
    owned: false,
    busy: null,
    notice: null,
    versions: [],
  }));
  const draftTarget = useRef<DraftTarget>({ kind: "none" });
  const opening = useRef(0);
  const latest = useRef(state);
  latest.current = state;

  const patch = (next: Partial<SnippetState>) => setState((previous) => ({ ...previous, ...next }));

  const refreshVersions = useCallback(async (id: string) => {
    const versions = await api.listVersions(id).catch(() => null);
    if (versions && latest.current.snippet?.id === id) patch({ versions });
  }, []);

  /** Shows a saved snippet whose latest version is `snippet`, keeping edits made meanwhile. */
  const settle = useCallback(
    (snippet: SnippetView, notice: Notice | null, shown: string | null = null) => {
      const key = draftKey(snippet.id, null);
      if (shown !== null) editor.show(snippet.language, shown);
      const { code } = editor.current();
      const previous = draftTarget.current;
      if (code !== snippet.code) storage.saveSnippetDraft(key, code);
      // What was just saved is no longer a draft. Another version's draft (the latest's, while an
      // older version was being saved or restored) stays: it holds edits never saved.
      else if (previous.kind === "snippet") storage.clearSnippetDraft(previous.key);
      draftTarget.current = { kind: "snippet", key };
      const route: Route = { kind: "snippet", id: snippet.id, version: null };
      if (location.pathname !== routePath(route)) history.pushState(null, "", routePath(route));
      const owned = storage.loadToken(snippet.id) !== null;
      patch({ route, snippet, pinned: null, owned, busy: null, notice });
      void refreshVersions(snippet.id);
    },
    [editor, refreshVersions],
  );

  /**
   * Settles a save, fork or restore begun at `ticket`, unless the user has since opened another
   * snippet: the editor now shows that one, so it must not be taken for the saved one's draft.
   */
  const settleIfStill = useCallback(
    (ticket: number, snippet: SnippetView, notice: Notice, shown: string | null = null) => {
      if (opening.current === ticket) return settle(snippet, notice, shown);
      const text = `${notice.text} (${snippet.id}, version ${snippet.version}: open /s/${snippet.id} to see it.)`;
      patch({ busy: null, notice: { ...notice, text } });
    },
    [settle],
  );

  const open = useCallback(
    async (route: Route) => {
      const ticket = ++opening.current;
      if (route.kind === "new") {
        const language = storage.loadLanguage();
        draftTarget.current = { kind: "new" };
        editor.show(language, storage.loadCode(language));
        const fresh = { snippet: null, pinned: null, owned: false, busy: null, notice: null };
        setState((s) => ({ ...s, ...fresh, route, versions: [] }));
        return;
      }
      draftTarget.current = { kind: "none" };
      patch({ route, busy: "load", notice: null });
      try {
        const snippet = await api.getSnippet(route.id);
        const pinned =
          route.version && route.version !== snippet.version
            ? await api.getVersion(route.id, route.version)
            : null;
        if (ticket !== opening.current) return;
        const key = draftKey(snippet.id, pinned);
        const saved = pinned?.code ?? snippet.code;
        const draft = storage.loadSnippetDraft(key);
        editor.show(snippet.language, draft ?? saved);
        draftTarget.current = { kind: "snippet", key };
        const restored = draft !== null && draft !== saved;
        const owned = storage.loadToken(snippet.id) !== null;
        const notice: Notice | null = restored
          ? { tone: "info", text: "Your unsaved changes were restored from this browser." }
          : null;
        patch({ snippet, pinned, owned, busy: null, notice, versions: [] });
        void refreshVersions(snippet.id);
      } catch (error) {
        if (ticket !== opening.current) return;
        patch({ snippet: null, busy: null, notice: failed(error, "load") });
      }
    },
    [editor, refreshVersions],
  );

  useEffect(() => {
    void open(latest.current.route);
    const onPop = () => void open(parseRoute(location.pathname));
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, [open]);

  const navigate = useCallback(
    (route: Route) => {
      history.pushState(null, "", routePath(route));
      void open(route);
    },
    [open],
  );

  const fork = useCallback(async () => {
    const { snippet: source, pinned, busy } = latest.current;
    if (!source || busy) return;
    const ticket = opening.current;
    patch({ busy: "fork" });
    const { code } = editor.current();
    let forked: CreatedSnippet | null = null;
    try {
      forked = await api.forkSnippet(source.id, pinned?.version);
      storage.saveToken(forked.id, forked.token);
      const own =
        code === forked.code ? forked : await api.updateSnippet(forked.id, forked.token, code);
      storage.clearSnippetDraft(draftKey(source.id, pinned));
      settleIfStill(ticket, own, {
        tone: "success",
        text: `Forked into a new snippet owned by this browser (${forked.id}); Save now updates your copy. The original ${source.id} is unchanged.`,
      });
    } catch (error) {
      // The copy exists but the edits did not reach it: open the copy, keeping the edits as its draft.
      if (forked) settleIfStill(ticket, forked, failed(error, "save"));
      else patch({ busy: null, notice: failed(error, "fork") });
    }
  }, [editor, settleIfStill]);

  const save = useCallback(async () => {
    const { route, snippet, owned, busy } = latest.current;
    if (busy) return;
    if (route.kind === "snippet" && !snippet) return;
    if (snippet && !owned) {
      const text =
        "This snippet was saved from another browser, so this one can't change it. Fork it to save your version as a new snippet of your own.";
      patch({ notice: { tone: "info", text, offerFork: true } });
      return;
    }
    const { language, code } = editor.current();
    const ticket = opening.current;
    patch({ busy: "save" });
    try {
      if (!snippet) {
        const created = await api.createSnippet(language, code);
        storage.saveToken(created.id, created.token);
        storage.clearCode(language);
        const text = `Saved as a new snippet. Share its URL; this browser keeps the edit token, so Save adds versions.`;
        settleIfStill(ticket, created, { tone: "success", text });
        return;
      }
      const token = storage.loadToken(snippet.id) ?? "";
      const updated = await api.updateSnippet(snippet.id, token, code, language);
      if (latest.current.pinned)
        storage.clearSnippetDraft(draftKey(snippet.id, latest.current.pinned));
      settleIfStill(ticket, updated, {
        tone: "success",
        text: `Saved version ${updated.version}.`,
      });
    } catch (error) {
      patch({ busy: null, notice: failed(error, "save") });
    }
  }, [editor, settleIfStill]);

  /** Saves stored version `version` as the newest version, and shows it. */
  const restore = useCallback(
    async (version: number) => {
      const { snippet, pinned, busy } = latest.current;
      if (!snippet || busy) return;
      const saved = pinned?.code ?? snippet.code;
      if (editor.current().code !== saved) {
        const text = "You have unsaved changes: save or discard them before restoring a version.";
        patch({ notice: { tone: "error", text } });
        return;
      }
      const ticket = opening.current;
      patch({ busy: "restore" });
      try {
        const old =
          pinned?.version === version ? pinned : await api.getVersion(snippet.id, version);
        const token = storage.loadToken(snippet.id) ?? "";
        const updated = await api.updateSnippet(snippet.id, token, old.code);
        const text = `Restored version ${version} as version ${updated.version}.`;
        settleIfStill(ticket, updated, { tone: "success", text }, old.code);
      } catch (error) {
        patch({ busy: null, notice: failed(error, "restore") });
      }
    },
    [editor, settleIfStill],
  );

  /** Throws away the unsaved edits of the open snippet, showing its saved code again. */
  const discard = useCallback(() => {
    const { snippet, pinned } = latest.current;
    if (!snippet) return;
    storage.clearSnippetDraft(draftKey(snippet.id, pinned));
    editor.show(snippet.language, pinned?.code ?? snippet.code);
    patch({ notice: { tone: "info", text: "Unsaved changes discarded." } });
  }, [editor]);

  const dismiss = useCallback(() => patch({ notice: null }), []);

  return { state, draftTarget, navigate, save, fork, restore, discard, dismiss };
}

function failed(error: unknown, action: Action): Notice {
  const text = failureMessage(error, action);
  return { tone: "error", text, offerFork: /Fork it/.test(text) };
}
