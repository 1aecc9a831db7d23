import { useState } from "preact/hooks";
import type { Problem } from "./handle.ts";
import "./problems.css";

interface Props {
  problems: Problem[];
  /** Moves the editor's cursor to the problem. */
  onReveal: (line: number, column: number) => void;
}

/**
 * One line under the editor: how many problems the code has and the first of them, as a button
 * that jumps to its line. With more than one, the count opens the whole list.
 */
export function ProblemsLine({ problems, onReveal }: Props) {
  const [open, setOpen] = useState(false);
  const count = problems.length;
  const shown = open ? problems : problems.slice(0, 1);
  return (
    <section class="problems" aria-label="Problems" data-testid="problems" data-count={count}>
      {count === 0 ? (
        <span class="problems-none">No problems</span>
      ) : (
        <>
          {count > 1 ? (
            <button
              type="button"
              class="problems-count"
              aria-expanded={open}
              onClick={() => setOpen(!open)}
            >
              {count} problems
            </button>
          ) : (
            <span class="problems-count">1 problem</span>
          )}
          <ul class={open ? "problem-list open" : "problem-list"}>
            {shown.map((problem, index) => (
              <li key={index}>
                <button
                  type="button"
                  class={`problem problem-${problem.severity}`}
                  title={problem.message}
                  onClick={() => onReveal(problem.line, problem.column)}
                >
                  <span class="problem-text">
                    <span class="problem-where">line {problem.line}</span> — {problem.message}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
