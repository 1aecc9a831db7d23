import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { LANGUAGES, type Language } from "../../workers/protocol.ts";
import { installAutomationHook } from "./automation.ts";
import { ConsolePanel } from "./components/ConsolePanel.tsx";
import { RequestBuilder } from "./components/RequestBuilder.tsx";
import { ResponsePanel } from "./components/ResponsePanel.tsx";
import { RuntimeStatus } from "./components/RuntimeStatus.tsx";
import { CodeEditor } from "./editor/CodeEditor.tsx";
import type { CodeMark, EditorHandle } from "./editor/handle.ts";
import { type RequestDraft, toWireRequest } from "./request-draft.ts";
import { runtimes } from "./runtimes.ts";
import * as storage from "./storage.ts";
import { useRunner } from "./use-runner.ts";

const LANGUAGE_NAMES: Record<Language, string> = { python: "Python", typescript: "TypeScript" };

/** The base URL a handler's relative path hangs off while it runs in the browser (not saved yet). */
const DRAFT_ENDPOINT = `${location.origin}/fn/draft`;

export function App() {
  const [language, setLanguage] = useState<Language>(storage.loadLanguage);
  const [code, setCode] = useState(() => storage.loadCode(language));
  const [draft, setDraft] = useState<RequestDraft>(storage.loadRequest);
  const editor = useRef<EditorHandle | null>(null);
  const { view, run, stop } = useRunner();

  const changeCode = useCallback(
    (text: string) => {
      setCode(text);
      storage.saveCode(language, text);
    },
    [language],
  );
  const switchLanguage = (next: Language) => {
    setLanguage(next);
    storage.saveLanguage(next);
    setCode(storage.loadCode(next));
  };
  const changeDraft = (next: RequestDraft) => {
    setDraft(next);
    storage.saveRequest(next);
  };
  const runNow = () => run(language, code, toWireRequest(draft, DRAFT_ENDPOINT));
  const latestRun = useRef(runNow);
  latestRun.current = runNow;
  const onRun = useCallback(() => latestRun.current(), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        latestRun.current();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
  useEffect(
    () =>
      installAutomationHook({
        setCode: (text) => (editor.current ? editor.current.setValue(text) : changeCode(text)),
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
      <header class="toolbar">
        <h1>fnpad</h1>
        <fieldset class="language-switch">
          <legend class="visually-hidden">Language</legend>
          {LANGUAGES.map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="language"
                value={option}
                checked={option === language}
                disabled={view.running}
                onChange={() => switchLanguage(option)}
              />
              {LANGUAGE_NAMES[option]}
            </label>
          ))}
        </fieldset>
        <button
          type="button"
          class="primary"
          onClick={onRun}
          disabled={view.running}
          title="Ctrl/Cmd+Enter"
        >
          Run
        </button>
        <button type="button" onClick={stop} disabled={!view.running}>
          Stop
        </button>
        <div class="runtimes">
          {LANGUAGES.map((option) => (
            <RuntimeStatus key={option} label={LANGUAGE_NAMES[option]} client={runtimes[option]} />
          ))}
        </div>
      </header>
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
          <ResponsePanel
            response={view.outcome?.response ?? null}
            durationMs={view.outcome?.durationMs ?? null}
            running={view.running}
            finished={view.finished}
          />
          {view.failure && (
            <p class="failure" role="alert">
              The runtime failed: {view.failure}
            </p>
          )}
          <ConsolePanel
            logs={view.logs}
            error={error}
            stopped={view.outcome?.stopped}
            onRevealLine={(line) => editor.current?.revealLine(line)}
          />
        </div>
      </main>
    </div>
  );
}
