import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { HeaderPair, Language } from "../../workers/runtime-protocol.ts";
import { installAutomationHook, toScriptResponse } from "./automation.ts";
import { ConsolePanel } from "./components/ConsolePanel.tsx";
import { DescriptionField } from "./components/DescriptionField.tsx";
import { EnvPanel } from "./components/EnvPanel.tsx";
import { NoticeBar } from "./components/NoticeBar.tsx";
import { RequestBuilder } from "./components/RequestBuilder.tsx";
import { ResponsePanel } from "./components/ResponsePanel.tsx";
import { SnippetBar } from "./components/SnippetBar.tsx";
import { Toolbar } from "./components/Toolbar.tsx";
import { CodeEditor } from "./editor/CodeEditor.tsx";
import type { CodeMark, EditorHandle } from "./editor/handle.ts";
import { useSnippetEnv } from "./env/use-env.ts";
import {
  CallsPanel,
  EdgeComparison,
  EndpointCard,
  OwnerLimitsControl,
  VersionsPanel,
} from "./lazy-panels.ts";
import { oneColumn, useOneColumn } from "./one-column.ts";
import { usePresenter } from "./present/use-presenter.ts";
import { type RequestDraft, toWireRequest } from "./request-draft.ts";
import { loadRunner } from "./run/runner-start.ts";
import { storage } from "./storage.ts";
import { comparedInput, useEdgeRun } from "./use-edge-run.ts";
import { usePageShortcuts } from "./use-page-shortcuts.ts";
import { useRunner } from "./use-runner.ts";
import { type EditorBridge, type RequestBridge, useSnippet } from "./use-snippet.ts";

/** The base URL a handler's relative path hangs off while it runs in the browser (not saved yet). */
const DRAFT_ENDPOINT = `${location.origin}/fn/draft`;

export function App() {
  const [language, setLanguage] = useState<Language>(storage.loadLanguage);
  const [code, setCode] = useState(() => storage.loadCode(language));
  const [draft, setDraft] = useState<RequestDraft>(storage.loadRequest);
  /** The code the last run ran: a response shown beside other code says it is not this code's. */
  const [ranCode, setRanCode] = useState<string | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const editor = useRef<EditorHandle | null>(null);
  const runAtEdgeButton = useRef<HTMLButtonElement>(null);
  // The editor's content as of now (state lags a render behind), and whether it is being replaced
  // by the page rather than edited by the user.
  const live = useRef({ language, code });
  const showing = useRef(false);
  const { view, run, stop, clear: clearRun } = useRunner();
  const { present, toggle: togglePresent, zoom, appearance } = usePresenter();
  // On a phone the results sit under the editor, out of sight: a finished run brings them up.
  const resultsPanel = useRef<HTMLDivElement>(null);
  const narrow = useOneColumn();
  useEffect(() => {
    if (view.finished > 0 && oneColumn.matches)
      resultsPanel.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, [view.finished]);

  const bridge = useMemo<EditorBridge>(
    () => ({
      current: () => live.current,
      show(nextLanguage, text) {
        // Other code (another snippet, version, language): the last run's result was not of it.
        if (nextLanguage !== live.current.language || text !== live.current.code) clearRun();
        live.current = { language: nextLanguage, code: text };
        setLanguage(nextLanguage);
        setCode(text);
        showing.current = true;
        try {
          editor.current?.setLanguage(nextLanguage, text);
        } finally {
          showing.current = false;
        }
      },
    }),
    [clearRun],
  );
  // The builder's request as of now (state lags a render behind), for the session to save.
  const liveDraft = useRef(draft);
  liveDraft.current = draft;
  const requestBridge = useMemo<RequestBridge>(
    () => ({
      current: () => liveDraft.current,
      show(request) {
        liveDraft.current = request;
        setDraft(request);
      },
    }),
    [],
  );
  const { session, state: snippetState } = useSnippet(bridge, requestBridge);
  const {
    snippet: saved,
    pinned,
    owned,
    busy,
    notice,
    versions,
    title,
    description,
  } = snippetState;
  const savedCode = pinned?.code ?? saved?.code;
  const dirty =
    savedCode !== undefined &&
    (code !== savedCode || title !== saved?.title || description !== saved?.description);
  const endpoint = pinned?.endpointUrl ?? saved?.endpointUrl ?? null;
  // Each snippet's code runs in a runner frame of its own: whatever one left behind, the next
  // one opened in this page does not meet.
  const runOwner = saved?.id ?? "new";
  // The owner's env values (memory only) go into browser runs; anyone else's runs get `{}`.
  const env = useSnippetEnv(saved?.id ?? null, owned);
  // The owner's rate limits on the endpoint, shown beside the freeze switch and when presenting.
  const limits = saved && owned && <OwnerLimitsControl snippetId={saved.id} />;
  useEffect(() => {
    loadRunner().then(
      (runner) => runner.prepareFor(runOwner),
      () => {},
    );
  }, [runOwner]);

  const changeCode = useCallback(
    (text: string) => {
      live.current = { ...live.current, code: text };
      setCode(text);
      if (showing.current) return;
      session.edit(text);
    },
    [session],
  );
  const switchLanguage = (next: Language) => {
    storage.saveLanguage(next);
    bridge.show(next, storage.loadCode(next));
  };
  const changeDraft = (next: RequestDraft) => {
    setDraft(next);
    storage.saveRequest(next);
  };
  /** The builder's request as the handler gets it, or `null` (and why, shown) when it can't be sent. */
  const wireRequest = () => {
    try {
      const request = toWireRequest(draft, endpoint ?? DRAFT_ENDPOINT);
      setRequestError(null);
      return request;
    } catch (error) {
      setRequestError(error instanceof Error ? error.message : String(error));
      // Shown where the response would be: a last response left there would read as this run's.
      clearRun();
      return null;
    }
  };
  /** Runs the builder's request in the browser; `headers` replaces its headers when given. */
  const runNow = async (headers?: HeaderPair[]) => {
    const request = wireRequest();
    if (!request) return null;
    setRanCode(code);
    return run(runOwner, language, code, headers ? { ...request, headers } : request, env.values);
  };
  /**
   * Fork, then carry the focus to the editor if it was lost: the Fork button the keyboard was on
   * goes with the visitor's bar (checked once the owner's bar has rendered).
   */
  const fork = async () => {
    await session.fork();
    setTimeout(() => {
      const focused = document.activeElement;
      if (!focused || focused === document.body) editor.current?.focus();
    }, 0);
  };

  const {
    edgeRun,
    start: runAtEdge,
    close: closeEdgeRun,
  } = useEdgeRun({
    snippet: snippetState,
    code,
    draft,
    dirty,
    requestReady: () => wireRequest() !== null,
    runInBrowser: runNow,
  });
  /** Replay in browser: a call to the endpoint goes into the builder and runs here, as it is now. */
  const replay = (next: RequestDraft) => {
    changeDraft(next);
    // With the owner's env values, as the endpoint ran the call (anyone else's runs get names only).
    const request = toWireRequest(next, endpoint ?? DRAFT_ENDPOINT);
    setRanCode(code);
    void run(runOwner, language, code, request, env.values);
  };
  const switchPresent = () => {
    // The room needs no word about the last save; an error stays until it is dealt with.
    if (!present && notice && notice.tone !== "error") session.dismiss();
    togglePresent();
  };
  const latestActions = useRef({ runNow, save: () => session.save(), switchPresent });
  latestActions.current = { runNow, save: () => session.save(), switchPresent };
  const onRun = useCallback(() => void latestActions.current.runNow(), []);

  usePageShortcuts(latestActions);
  const responses = useRef({ browser: view.outcome?.response ?? null, edgeRun });
  responses.current = { browser: view.outcome?.response ?? null, edgeRun };
  useEffect(
    () =>
      installAutomationHook({
        setCode: (text) => (editor.current ? editor.current.setValue(text) : changeCode(text)),
        code: () => live.current.code,
        setRequest: changeDraft,
        responses: () => {
          const { browser, edgeRun: last } = responses.current;
          return {
            browser: browser && toScriptResponse(browser),
            edge: last?.phase === "done" ? toScriptResponse(last.edge) : null,
          };
        },
      }),
    [changeCode],
  );

  const error = view.outcome?.error;
  const mark = useMemo<CodeMark | null>(
    () => (error?.line ? { line: error.line, message: `${error.type}: ${error.message}` } : null),
    [error],
  );

  // Response and console side by side across the whole width, under the code and the request
  // (or, presenting, under the endpoint): a run's output and its prints get the room.
  const results = (
    <div class="results" ref={resultsPanel}>
      <ResponsePanel
        response={view.outcome?.response ?? null}
        durationMs={view.outcome?.durationMs ?? null}
        running={view.running}
        streaming={view.streaming}
        streamed={view.outcome?.streamed === true}
        cut={view.cut}
        finished={view.finished}
        fromEarlierCode={ranCode !== null && ranCode !== code}
        problem={
          requestError
            ? `Not sent: ${requestError}`
            : view.failure && `The runtime failed: ${view.failure}`
        }
      />
      {/* While a run goes, the console holds its own lines only: the last run's exception or
          "Stopped." under them would read as this run's. */}
      <ConsolePanel
        logs={view.logs}
        error={view.running ? undefined : error}
        stopped={view.running ? undefined : view.outcome?.stopped}
        guardStop={view.running ? null : view.guardStop}
        onRevealLine={(line) => editor.current?.revealLine(line)}
        fromEarlierCode={!view.running && ranCode !== null && ranCode !== code}
      />
    </div>
  );

  // The owner's live call log: in the side column, or under the results when presenting.
  const calls = saved && owned && (
    <CallsPanel
      snippetId={saved.id}
      token={storage.loadToken(saved.id) ?? ""}
      onReplay={replay}
      present={present}
    />
  );

  return (
    <div class={present ? "app present" : "app"}>
      <Toolbar
        title={title}
        titleEditable={saved === null || owned}
        onTitle={(next) => session.editTitle(next)}
        language={language}
        languageFixed={saved !== null}
        onLanguage={switchLanguage}
        running={view.running}
        onRun={onRun}
        onStop={stop}
        onNew={() => {
          // A new snippet starts with no result: the last one's response and console go.
          clearRun();
          if (saved === null) session.startOver();
          else void session.navigate({ kind: "new" });
        }}
        onSave={() => void session.save()}
        busy={busy}
        present={present}
        onPresent={switchPresent}
        onZoom={zoom}
      />
      {notice && (
        <NoticeBar
          notice={notice}
          onFork={() => void fork()}
          onUndo={() => session.undoStartOver()}
          onDismiss={() => session.dismiss()}
        />
      )}
      {!present && (
        <SnippetBar
          snippet={saved}
          pinned={pinned}
          owned={owned}
          dirty={dirty}
          request={draft}
          onRunAtEdge={() => void runAtEdge()}
          edgeRunning={edgeRun?.phase === "running"}
          runAtEdgeButton={runAtEdgeButton}
          onOpenLatest={() =>
            saved && session.navigate({ kind: "snippet", id: saved.id, version: null })
          }
          onFork={() => void fork()}
          onDiscard={() => session.discard()}
          onFreeze={(version) => void session.freeze(version)}
          limits={limits}
        />
      )}
      <main
        class="workspace"
        data-results={view.outcome || view.running || requestError ? "shown" : "none"}
      >
        <section class="panel editor-panel" aria-label="Handler code">
          <CodeEditor
            language={language}
            code={code}
            onChange={changeCode}
            onRun={onRun}
            mark={mark}
            appearance={appearance}
            onZoom={zoom}
            onEditor={(handle) => {
              editor.current = handle;
            }}
          />
        </section>
        {!present && (
          <div class="side">
            <DescriptionField
              description={description}
              editable={saved === null || owned}
              onChange={(next) => session.editDescription(next)}
            />
            <RequestBuilder draft={draft} onChange={changeDraft} />
            {/* In one column the results come next, in the page's order as on screen: a screen
                reader or the Tab key reaches them before the panels below, as the eye does. */}
            {narrow && results}
            {edgeRun && (
              <EdgeComparison
                run={edgeRun}
                stale={edgeRun.phase === "done" && edgeRun.input !== comparedInput(code, draft)}
                onClose={() => {
                  closeEdgeRun();
                  // Back where it was opened from, not lost with the panel.
                  runAtEdgeButton.current?.focus();
                }}
              />
            )}
            <EnvPanel env={env} />
            {saved && (
              <VersionsPanel
                versions={versions}
                current={pinned?.version ?? saved.version}
                latest={saved.version}
                frozen={saved.frozenVersion}
                owned={owned}
                busy={busy !== null}
                onOpen={(version) => session.navigate({ kind: "snippet", id: saved.id, version })}
                onRestore={(version) => void session.restore(version)}
              />
            )}
            {calls}
          </div>
        )}
        {present ? (
          <div class="presenter-side">
            <EndpointCard
              endpoint={endpoint}
              frozenVersion={pinned ? null : (saved?.frozenVersion ?? null)}
              request={draft}
              limits={limits}
            />
            {results}
            {calls}
          </div>
        ) : (
          !narrow && results
        )}
      </main>
    </div>
  );
}
