/**
 * The page's session before and after its code has loaded. The session (with the API client it
 * calls) loads once the page is usable, not before: a new snippet's page shows and takes edits
 * without it. Until it has opened the address, edits are the editor's alone (code typed into a
 * new snippet is then kept as its draft: `keepEarlyEdit`), and every other action waits for it.
 */
import type { SnippetSession } from "./session.ts";
import type { EditorBridge, RequestBridge, SnippetState } from "./session-ports.ts";

/** What the page asks of its session. */
export type SessionActions = Pick<
  SnippetSession,
  | "edit"
  | "editTitle"
  | "editDescription"
  | "navigate"
  | "startOver"
  | "undoStartOver"
  | "save"
  | "fork"
  | "restore"
  | "freeze"
  | "discard"
  | "dismiss"
>;

export class DeferredSession implements SessionActions {
  readonly #editor: EditorBridge;
  readonly #requestBuilder: RequestBridge;
  /** Set once the session has loaded and opened the address. */
  #session: SnippetSession | null = null;
  readonly #opened: Promise<SnippetSession>;
  #resolveOpened!: (session: SnippetSession) => void;

  constructor(editor: EditorBridge, requestBuilder: RequestBridge) {
    this.#editor = editor;
    this.#requestBuilder = requestBuilder;
    this.#opened = new Promise((resolve) => {
      this.#resolveOpened = resolve;
    });
  }

  /**
   * Loads the session, hands `onState` its every state, and opens the address bar's route; the
   * browser's back and forward open theirs. Resolves to what stops both.
   */
  async start(onState: (state: SnippetState) => void): Promise<() => void> {
    const { pageSession } = await import("./page-session.ts");
    const session = pageSession(this.#editor, this.#requestBuilder);
    const unsubscribe = session.subscribe(onState);
    const onPop = () => void session.openAddress();
    addEventListener("popstate", onPop);
    session.keepEarlyEdit();
    const opening = session.openAddress();
    this.#session = session;
    this.#resolveOpened(session);
    await opening;
    return () => {
      unsubscribe();
      removeEventListener("popstate", onPop);
    };
  }

  edit(code: string): void {
    this.#session?.edit(code);
  }

  editTitle(title: string): void {
    this.#session?.editTitle(title);
  }

  editDescription(description: string): void {
    this.#session?.editDescription(description);
  }

  navigate(...args: Parameters<SnippetSession["navigate"]>): Promise<void> {
    return this.#opened.then((session) => session.navigate(...args));
  }

  startOver(): void {
    void this.#opened.then((session) => session.startOver());
  }

  undoStartOver(): void {
    void this.#opened.then((session) => session.undoStartOver());
  }

  save(): Promise<void> {
    return this.#opened.then((session) => session.save());
  }

  fork(): Promise<void> {
    return this.#opened.then((session) => session.fork());
  }

  restore(version: number): Promise<void> {
    return this.#opened.then((session) => session.restore(version));
  }

  freeze(version: number | null): Promise<void> {
    return this.#opened.then((session) => session.freeze(version));
  }

  discard(): void {
    void this.#opened.then((session) => session.discard());
  }

  dismiss(): void {
    void this.#opened.then((session) => session.dismiss());
  }
}
