import type { Notice } from "../use-snippet.ts";

interface Props {
  notice: Notice;
  onFork: () => void;
  onUndo: () => void;
  onDismiss: () => void;
}

/** The outcome of the last save, fork, restore or load: what happened and what to do next. */
export function NoticeBar({ notice, onFork, onUndo, onDismiss }: Props) {
  return (
    <div
      class={`notice notice-${notice.tone}`}
      role={notice.tone === "error" ? "alert" : "status"}
      data-testid="notice"
    >
      <p>{notice.text}</p>
      {notice.offerUndo && (
        <button type="button" onClick={onUndo}>
          Undo
        </button>
      )}
      {notice.offerFork && (
        <button type="button" class="primary" onClick={onFork}>
          Fork
        </button>
      )}
      <button type="button" class="icon" aria-label="Dismiss message" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
