import type { SnippetEnv } from "../env/use-env.ts";
import { EnvEditor } from "../lazy-panels.ts";

/**
 * The snippet's variables and secrets: the owner adds, replaces and deletes them; a secret's value
 * is never shown again once set. Everyone else is told that their runs get no values.
 */
export function EnvPanel({ env }: { env: SnippetEnv }) {
  return (
    <section class="panel env" aria-labelledby="env-title">
      <h2 id="env-title">Environment</h2>
      {env.role === "none" && (
        <p class="hint">
          Save the snippet to give it variables and secrets (<code>env</code>).
        </p>
      )}
      {env.role === "visitor" && (
        <p class="env-notice" role="note">
          Runs here get empty env values: this snippet's variables and secrets belong to its owner
          (their endpoint uses them). Fork it to set your own.
        </p>
      )}
      {env.role === "owner" && <EnvEditor env={env} />}
      {env.error && (
        <p class="failure" role="alert">
          {env.error}
        </p>
      )}
    </section>
  );
}
