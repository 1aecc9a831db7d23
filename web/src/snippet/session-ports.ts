/**
 * What a snippet session is made of and works through: its state, the notice it shows, and the
 * ports to the network, the browser's storage, the editor, the request builder and the address bar
 * (`session.ts`), so that it runs in Node tests with stand-ins for each.
 */
import type {
  CreatedSnippet,
  SavedRequest,
  SnippetVersionView,
  SnippetView,
  VersionSummary,
} from "../../../workers/api-types.ts";
import type { Language } from "../../../workers/runtime-protocol.ts";
import type { SnippetMeta } from "../api.ts";
import type { Action } from "../failure-message.ts";
import type { Route } from "../route.ts";
import type { BrowserStore } from "../storage.ts";

/** A message about the last save, fork, restore or load; `offerFork` adds a Fork button. */
export interface Notice {
  tone: "info" | "success" | "error";
  text: string;
  offerFork?: boolean;
  /** Adds an Undo button (`undoStartOver`). */
  offerUndo?: boolean;
  /** About the code as it was (a save refused for its content): the next edit dismisses it. */
  aboutOldCode?: boolean;
}

/** How the session reads and replaces the editor's content. */
export interface EditorBridge {
  current(): { language: Language; code: string };
  /** Shows `code` without recording it as an edit. */
  show(language: Language, code: string): void;
}

/** The JSON API calls the session makes (`../api.ts`). */
export interface SnippetApi {
  createSnippet(language: Language, code: string, meta?: SnippetMeta): Promise<CreatedSnippet>;
  getSnippet(id: string): Promise<SnippetView>;
  updateSnippet(
    id: string,
    token: string,
    code: string,
    meta?: SnippetMeta,
    language?: Language,
  ): Promise<SnippetView>;
  listVersions(id: string): Promise<VersionSummary[]>;
  getVersion(id: string, version: number): Promise<SnippetVersionView>;
  forkSnippet(id: string, version?: number): Promise<CreatedSnippet>;
  freezeSnippet(id: string, token: string, version: number | null): Promise<SnippetView>;
}

/** How the session reads and replaces the request builder's contents. */
export interface RequestBridge {
  current(): SavedRequest;
  show(request: SavedRequest): void;
}

/** The address bar. */
export interface AddressBar {
  pathname(): string;
  push(pathname: string): void;
  /** Rewrites the current entry (no new one in the history). */
  replace(pathname: string): void;
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
  /** The title as edited; saved with the next save. */
  title: string;
  /** The description as edited; saved with the next save. */
  description: string;
}

export interface SessionPorts {
  api: SnippetApi;
  store: BrowserStore;
  editor: EditorBridge;
  requestBuilder: RequestBridge;
  address: AddressBar;
}
