import { useEffect, useState } from "preact/hooks";
import { copyText } from "../clipboard.ts";

interface Props {
  /** The button's name, e.g. "Copy as curl". */
  label: string;
  /** Shorter text to show where room is short (the name must contain it); `label` otherwise. */
  shown?: string;
  /** Called on click: the text to copy (may throw, e.g. for an invalid base64 body). */
  text: () => string;
}

/** How long "Copied" (or why not) stays next to the button. */
const RESULT_SHOWN_MS = 2500;

/** A button that copies text and says, next to itself, whether it worked. */
export function CopyButton({ label, shown, text }: Props) {
  const [result, setResult] = useState("");
  // The word is feedback on one click, not a state: it goes after a moment.
  useEffect(() => {
    if (!result) return;
    const timer = setTimeout(() => setResult(""), RESULT_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [result]);
  const copy = async () => {
    try {
      setResult((await copyText(text())) ? "Copied" : "Couldn't copy: select the text instead");
    } catch (error) {
      setResult(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <span class="copy">
      <button type="button" onClick={copy} aria-label={shown ? label : undefined}>
        {shown ?? label}
      </button>
      <span class="copy-result" role="status">
        {result}
      </span>
    </span>
  );
}
