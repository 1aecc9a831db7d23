import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Language } from "../../workers/protocol.ts";
import { installAutomationHook, toScriptResponse } from "./automation.ts";
import { CallsPanel } from "./calls/CallsPanel.tsx";
import { replayDraft } from "./calls/replay.ts";
import { ConsolePanel } from "./components/ConsolePanel.tsx";
import { EdgeComparison, type EdgeRun } from "./components/EdgeComparison.tsx";
import { NoticeBar } from "./components/NoticeBar.tsx";
import { RequestBuilder } from "./components/RequestBuilder.tsx";
import { ResponsePanel } from "./components/ResponsePanel.tsx";
import { SnippetBar } from "./components/SnippetBar.tsx";
import { Toolbar } from "./components/Toolbar.tsx";
import { VersionsPanel } from "./components/VersionsPanel.tsx";
import { curlCommand } from "./curl.ts";
import { callEndpoint } from "./edge-call.ts";
import { CodeEditor } from "./editor/CodeEditor.tsx";
import type { CodeMark, EditorHandle } from "./editor/handle.ts";
import { type RequestDraft, toWireRequest } from "./request-draft.ts";
import { runner } from "./run/runner-frame.ts";
import * as storage from "./storage.ts";
import { useRunner } from "./use-runner.ts";
import { type EditorBridge, useSnippet } from "./use-snippet.ts";

/** The base URL a handler's relative path hangs off while it runs in the browser (not saved yet). */
const DRAFT_ENDPOINT = `${location.origin}/fn/draft`;

export function App() {
  const [language, setLanguage] = useState<Language>(storage.loadLanguage);
  const [code, setCode] = useState(() => storage.loadCode(language));
  const [draft, setDraft] = useState<RequestDraft>(storage.loadRequest);
  const [edgeRun, setEdgeRun] = useState<EdgeRun | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const editor = useRef<EditorHandle | null>(null);
  // The editor's content as of now (state lags a render behind), and whether it is being replaced
  // by the page rather than edited by the user.
  const live = useRef({ language, code });
  const showing = useRef(false);
  const { view, run, stop } = useRunner();

  const bridge = useMemo<EditorBridge>(
    () => ({
      current: () => live.current,
      show(nextLanguage, text) {
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
    [],
  );
  const snippet = useSnippet(bridge);
  const { snippet: saved, pinned, owned, busy, notice, versions } = snippet.state;
  const savedCode = pinned?.code ?? saved?.code;
  const dirty = savedCode !== undefined && code !== savedCode;
  const endpoint = pinned?.endpointUrl ?? saved?.endpointUrl ?? null;
  // Each snippet's code runs in a runner frame of its own: whatever one left behind, the next
  // one opened in this page does not meet.
  const runOwner = saved?.id ?? "new";
  useEffect(() => runner.prepareFor(runOwner), [runOwner]);

  const changeCode = useCallback(
    (text: string) => {
      live.current = { ...live.current, code: text };
      setCode(text);
      if (showing.current) return;
      const target = snippet.draftTarget.current;
      if (target.kind === "new") storage.saveCode(live.current.language, text);
      if (target.kind === "snippet") storage.saveSnippetDraft(target.key, text);
    },
    [snippet.draftTarget],
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
      return null;
    }
  };
  const runNow = async () => {
    const request = wireRequest();
    return request ? run(runOwner, language, code, request) : null;
  };
  const runAtEdge = async () => {
    if (!endpoint || !saved || edgeRun?.phase === "running" || !wireRequest()) return;
    setEdgeRun({ phase: "running" });
    const edgeVersion = pinned?.version ?? saved.version;
    try {
      const [outcome, edge] = await Promise.all([runNow(), callEndpoint(endpoint, draft)]);
      if (!outcome) throw new Error("The browser run did not finish");
      setEdgeRun({ phase: "done", browser: outcome.response, edge, edgeVersion, dirty });
    } catch (error) {
      setEdgeRun({ phase: "failed", message: `Run at edge failed: ${String(error)}` });
    }
  };
  /** Replay in browser: a call to the endpoint goes into the builder and runs here, as it is now. */
  const replay = (next: RequestDraft) => {
    changeDraft(next);
    void run(runOwner, language, code, toWireRequest(next, endpoint ?? DRAFT_ENDPOINT));
  };
  const latestActions = useRef({ runNow, save: snippet.save });
  latestActions.current = { runNow, save: snippet.save };
  const onRun = useCallback(() => void latestActions.current.runNow(), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      if (event.key === "Enter") {
        event.preventDefault();
        void latestActions.current.runNow();
      } else if (event.key.toLowerCase() === "s") {
        event.preventDefault();
        void latestActions.current.save();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
  const responses = useRef({ browser: view.outcome?.response ?? null, edgeRun });
  responses.current = { browser: view.outcome?.response ?? null, edgeRun };
  useEffect(
    () =>
      installAutomationHook({
        setCode: (text) => (editor.current ? editor.current.setValue(text) : changeCode(text)),
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

  return (
    <div class="app">
      <Toolbar
        language={language}
        languageFixed={saved !== null}
        onLanguage={switchLanguage}
        running={view.running}
        onRun={onRun}
        onStop={stop}
        onNew={() => snippet.navigate({ kind: "new" })}
        onSave={() => void snippet.save()}
        busy={busy}
      />
      {notice && (
        <NoticeBar notice={notice} onFork={() => void snippet.fork()} onDismiss={snippet.dismiss} />
      )}
      <SnippetBar
        snippet={saved}
        pinned={pinned}
        owned={owned}
        dirty={dirty}
        curl={() => curlCommand(draft, endpoint ?? "")}
        onRunAtEdge={() => void runAtEdge()}
        edgeRunning={edgeRun?.phase === "running"}
        onOpenLatest={() =>
          saved && snippet.navigate({ kind: "snippet", id: saved.id, version: null })
        }
        onFork={() => void snippet.fork()}
        onDiscard={snippet.discard}
      />
      <main class="workspace">
        <section class="panel editor-panel" aria-label="Handler code">
          <CodeEditor
            language={language}
            code={code}
            onChange={changeCode}
            onRun={onRun}
            mark={mark}
            onEditor={(handle) => {
              editor.current = handle;
            }}
          />
        </section>
        <div class="side">
          <RequestBuilder draft={draft} onChange={changeDraft} />
          {requestError && (
            <p class="failure" role="alert">
              Not sent: {requestError}
            </p>
          )}
          {view.failure && (
            <p class="failure" role="alert">
              The runtime failed: {view.failure}
            </p>
          )}
          {/* Response and console side by side, sharing the height the request leaves, so a run's
              output and its prints are both on screen at 1280×720 without scrolling. */}
          <div class="results">
            <ResponsePanel
              response={view.outcome?.response ?? null}
              durationMs={view.outcome?.durationMs ?? null}
              running={view.running}
              finished={view.finished}
            />
            <ConsolePanel
              logs={view.logs}
              error={error}
              stopped={view.outcome?.stopped}
              onRevealLine={(line) => editor.current?.revealLine(line)}
            />
          </div>
          {edgeRun && <EdgeComparison run={edgeRun} />}
          {saved && (
            <VersionsPanel
              versions={versions}
              current={pinned?.version ?? saved.version}
              latest={saved.version}
              owned={owned}
              busy={busy !== null}
              onOpen={(version) => snippet.navigate({ kind: "snippet", id: saved.id, version })}
              onRestore={(version) => void snippet.restore(version)}
            />
          )}
          {saved && owned && (
            <CallsPanel
              snippetId={saved.id}
              token={storage.loadToken(saved.id) ?? ""}
              onReplay={(call) => replay(replayDraft(call))}
            />
          )}
        </div>
      </main>
    </div>
  );
}
