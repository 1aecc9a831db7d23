/**
 * The owner's side of the env panel: the variables and secrets, Replace and Delete, and the form
 * that sets one. Loaded after the page is usable (`lazy-panels.ts`): only a saved snippet's owner
 * sees it, and its entries come from the API.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { ENV_LIMITS, ENV_NAME_PATTERN } from "../../../workers/limits.ts";
import type { SnippetEnv } from "../env/use-env.ts";

export function EnvEditor({ env }: { env: SnippetEnv }) {
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [secret, setSecret] = useState(true);
  // The keyboard's focus, after a button that goes away or turns off: the form, ready for the next.
  const nameInput = useRef<HTMLInputElement>(null);
  const valueField = useRef<HTMLInputElement>(null);
  // Replace may swap the value field (password ↔ text): it is focused once the new one is there.
  const focusValue = useRef(false);
  useEffect(() => {
    if (!focusValue.current) return;
    focusValue.current = false;
    valueField.current?.focus();
  });
  const nameProblem =
    name && !ENV_NAME_PATTERN.test(name) ? "A–Z, 0–9 and _, not starting with a digit" : null;

  const valueInput = {
    "aria-label": "Env value",
    placeholder: "value",
    ref: valueField,
    autoComplete: "off",
    value,
    onInput: (event: Event) => setValue((event.currentTarget as HTMLInputElement).value),
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!name || nameProblem) return;
    if (await env.set(name, value, secret)) {
      setName("");
      setValue("");
      // The next entry starts as a secret again: a value typed in plain view by mistake is
      // shown to anyone looking at the screen, and a secret is easy to turn into a variable.
      setSecret(true);
      nameInput.current?.focus();
    }
  };

  return (
    <>
      <p class="hint">
        Handlers get these as <code>env</code> (Python: <code>request.env</code>). Secrets are
        stored encrypted and never shown again; forks get the names only.
      </p>
      {env.entries.length > 0 && (
        <ul class="env-list">
          {env.entries.map((entry) => (
            <li key={entry.name} data-env-name={entry.name}>
              <code class="env-name">{entry.name}</code>{" "}
              <span class="env-kind">{entry.secret ? "secret" : "variable"}</span>{" "}
              <span class="env-value">
                {entry.empty
                  ? "(empty)"
                  : entry.secret
                    ? `set ${new Date(entry.updatedAt).toLocaleString()}`
                    : entry.value}
              </span>
              <button
                type="button"
                class="link"
                onClick={() => {
                  setName(entry.name);
                  setSecret(entry.secret);
                  setValue(entry.secret ? "" : (entry.value ?? ""));
                  focusValue.current = true;
                  valueField.current?.focus();
                }}
              >
                Replace {entry.name}
              </button>
              <button
                type="button"
                class="link"
                disabled={env.busy}
                onClick={() => {
                  // Its row goes: the focus goes on to the form rather than to the page.
                  nameInput.current?.focus();
                  void env.remove(entry.name);
                }}
              >
                Delete {entry.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="env-form" onSubmit={submit}>
        <input
          ref={nameInput}
          aria-label="Env name"
          placeholder="NAME"
          value={name}
          maxLength={ENV_LIMITS.nameChars}
          aria-invalid={nameProblem !== null}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        {/* Two elements: Preact's types do not let one input switch between text and password. */}
        {secret ? <input type="password" {...valueInput} /> : <input type="text" {...valueInput} />}
        <label>
          <input
            type="checkbox"
            checked={secret}
            onChange={(event) => setSecret(event.currentTarget.checked)}
          />{" "}
          Secret
        </label>
        <button type="submit" disabled={env.busy || !name || nameProblem !== null}>
          Set
        </button>
      </form>
      {nameProblem && <p class="hint">{nameProblem}</p>}
    </>
  );
}
