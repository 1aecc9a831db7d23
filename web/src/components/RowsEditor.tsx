import { useEffect, useRef } from "preact/hooks";
import type { Row } from "../request-draft.ts";

interface Props {
  /** What the rows are, e.g. "Query parameter"; used in the controls' labels. */
  label: string;
  rows: Row[];
  onChange: (rows: Row[]) => void;
  /** What is wrong with a row, shown under it as it is typed; `null` when nothing is. */
  problem?: (row: Row) => string | null;
  /** A warning about a row that can be sent but should not be kept, shown under it; `null` when none. */
  warning?: (row: Row) => string | null;
}

/** Editable name/value rows with an on/off switch each (query parameters, headers). */
export function RowsEditor({ label, rows, onChange, problem, warning }: Props) {
  const update = (index: number, patch: Partial<Row>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  // After "×" its row goes, and the keyboard's focus with it: it moves to the row that took its
  // place, else to "+ …", else (the section closed) to the section's summary.
  const list = useRef<HTMLDivElement>(null);
  // Kept with the count of rows it is for: a second "×" pressed before the first one's render has
  // run its effects must not be served by that older render (whose rows are still there).
  const focusAfterRemove = useRef<{ index: number; rows: number } | null>(null);
  useEffect(() => {
    const pending = focusAfterRemove.current;
    if (pending === null || pending.rows !== rows.length) return;
    focusAfterRemove.current = null;
    const { index } = pending;
    const removeButtons = list.current?.querySelectorAll<HTMLElement>(".row > button.icon");
    const target = removeButtons?.[index] ?? list.current?.querySelector<HTMLElement>(".add");
    target?.focus();
    // The last row gone, its section closes (the builder opens it only when it has rows).
    if (document.activeElement !== target)
      list.current?.closest("details")?.querySelector("summary")?.focus();
  });
  return (
    <div class="rows" ref={list}>
      {rows.map((row, index) => {
        const wrong = problem?.(row) ?? null;
        const warned = wrong === null ? (warning?.(row) ?? null) : null;
        const rowId = `${label.replace(/\W+/g, "-").toLowerCase()}-${index}`;
        const problemId = `${rowId}-problem`;
        const warningId = `${rowId}-warning`;
        return (
          <div class="row" key={index}>
            <input
              type="checkbox"
              aria-label={`Send ${label.toLowerCase()} ${index + 1}`}
              checked={row.enabled}
              onChange={(event) => update(index, { enabled: event.currentTarget.checked })}
            />
            <input
              aria-label={`${label} ${index + 1} name`}
              aria-invalid={wrong !== null}
              aria-describedby={wrong ? problemId : undefined}
              placeholder="name"
              value={row.name}
              onInput={(event) => update(index, { name: event.currentTarget.value })}
            />
            <input
              aria-label={`${label} ${index + 1} value`}
              placeholder="value"
              aria-describedby={warned ? warningId : undefined}
              value={row.value}
              onInput={(event) => update(index, { value: event.currentTarget.value })}
            />
            <button
              type="button"
              class="icon"
              aria-label={`Remove ${label.toLowerCase()} ${index + 1}`}
              onClick={() => {
                focusAfterRemove.current = { index, rows: rows.length - 1 };
                onChange(rows.filter((_, i) => i !== index));
              }}
            >
              ×
            </button>
            {wrong && (
              <p class="row-problem" id={problemId} role="alert">
                {wrong}
              </p>
            )}
            {warned && (
              <p class="row-warning" id={warningId}>
                {warned}
              </p>
            )}
          </div>
        );
      })}
      <button
        type="button"
        class="add"
        onClick={() => onChange([...rows, { enabled: true, name: "", value: "" }])}
      >
        + {label}
      </button>
    </div>
  );
}
