import { useEffect, useState } from "preact/hooks";
import { copyText } from "../clipboard.ts";

interface Props {
  /** The button's text, e.g. "Copy as curl". */
  label: string;
  /** Called on click: the text to copy (may throw, e.g. for an invalid base64 body). */
  text: () => string;
}

/** How long "Copied" (or why not) stays next to the button. */
const RESULT_SHOWN_MS = 2500;

/** A button that copies text and says, next to itself, whether it worked. */
export function CopyButton({ label, text }: Props) {
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
      <button type="button" onClick={copy}>
        {label}
      </button>
      <span class="copy-result" role="status">
        {result}
      </span>
    </span>
  );
}
