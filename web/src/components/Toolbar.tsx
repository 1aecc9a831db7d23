import { LIMITS } from "../../../workers/limits.ts";
import { LANGUAGES, type Language } from "../../../workers/runtime-protocol.ts";
import type { Action } from "../failure-message.ts";
import { RuntimeStatus } from "./RuntimeStatus.tsx";

const LANGUAGE_NAMES: Record<Language, string> = { python: "Python", typescript: "TypeScript" };

interface Props {
  /** The snippet's title as edited; saved with the next save. */
  title: string;
  /** Whether this browser may change the title (a new snippet, or one it owns). */
  titleEditable: boolean;
  onTitle: (title: string) => void;
  language: Language;
  /** A saved snippet's language is fixed for its lifetime. */
  languageFixed: boolean;
  onLanguage: (language: Language) => void;
  running: boolean;
  onRun: () => void;
  onStop: () => void;
  onNew: () => void;
  onSave: () => void;
  /** The snippet action in flight, if any. */
  busy: Action | null;
  /** Whether presenter mode is on. */
  present: boolean;
  onPresent: () => void;
  /** A− (`-1`) or A+ (`1`): the editor's font size. */
  onZoom: (step: 1 | -1) => void;
}

/** The page's top bar: New, language, Run/Stop, Save, and the runtimes' loading state. */
export function Toolbar(props: Props) {
  const { language, running, busy } = props;
  return (
    <header class="toolbar">
      <h1>fnpad</h1>
      {/* A title the visitor cannot change is text, not a read-only field: text wraps on a phone
          rather than being cut, and is no stop for the keyboard. */}
      {props.titleEditable ? (
        <input
          class="title-input"
          aria-label="Title"
          placeholder="Untitled snippet"
          maxLength={LIMITS.titleChars}
          value={props.title}
          onInput={(event) => props.onTitle(event.currentTarget.value)}
        />
      ) : (
        <h2 class="title-text" title={props.title}>
          {props.title || "Untitled snippet"}
        </h2>
      )}
      <button type="button" onClick={props.onNew}>
        New
      </button>
      {/* A saved snippet's language is fixed: it is named, not offered (disabled radios would
          take room from the title and the runtimes' state); presenting, not even named. */}
      {props.languageFixed ? (
        !props.present && (
          <span class="language-tag" title="A saved snippet keeps its language">
            {LANGUAGE_NAMES[language]}
          </span>
        )
      ) : (
        <fieldset class="language-switch">
          <legend class="visually-hidden">Language</legend>
          {LANGUAGES.map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="language"
                value={option}
                checked={option === language}
                disabled={running}
                onChange={() => props.onLanguage(option)}
              />
              {LANGUAGE_NAMES[option]}
            </label>
          ))}
        </fieldset>
      )}
      {/* Run, Stop and Save say they do not apply with aria-disabled rather than `disabled`: a
          disabled button loses the keyboard's focus, so Enter on Run would drop it on the page
          and Tab start again from the top. Their actions ignore a press meanwhile. */}
      <button
        type="button"
        class="primary"
        onClick={props.onRun}
        aria-disabled={running}
        title="Ctrl/Cmd+Enter"
        aria-keyshortcuts="Control+Enter Meta+Enter"
      >
        Run
      </button>
      <button type="button" onClick={props.onStop} aria-disabled={!running}>
        Stop
      </button>
      <button
        type="button"
        onClick={props.onSave}
        aria-disabled={busy !== null}
        title="Ctrl/Cmd+S"
        aria-keyshortcuts="Control+S Meta+S"
      >
        {busy === "save" ? "Saving…" : "Save"}
      </button>
      <fieldset class="font-size">
        <legend class="visually-hidden">Code font size</legend>
        <button type="button" onClick={() => props.onZoom(-1)} title="Smaller code (Ctrl/Cmd+−)">
          A−
        </button>
        <button type="button" onClick={() => props.onZoom(1)} title="Bigger code (Ctrl/Cmd+=)">
          A+
        </button>
      </fieldset>
      <button
        type="button"
        aria-pressed={props.present}
        onClick={props.onPresent}
        title="Presenter mode (Ctrl/Cmd+Shift+P)"
        aria-keyshortcuts="Control+Shift+P Meta+Shift+P"
        // Short on screen: presenting a new snippet, the language switch is in the row too, and
        // the title field keeps room for "Untitled snippet" at 1280 px.
        aria-label={props.present ? "Exit presenter" : undefined}
      >
        {props.present ? "Exit" : "Present"}
      </button>
      <div class="runtimes">
        {LANGUAGES.map((option) => (
          <RuntimeStatus key={option} label={LANGUAGE_NAMES[option]} language={option} />
        ))}
      </div>
    </header>
  );
}
