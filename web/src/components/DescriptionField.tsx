import { LIMITS } from "../../../workers/limits.ts";

interface Props {
  description: string;
  /** Whether this browser may change it (a new snippet, or one it owns). */
  editable: boolean;
  onChange: (description: string) => void;
}

/** A short description of what the snippet does: editable by its owner, read by visitors. */
export function DescriptionField({ description, editable, onChange }: Props) {
  if (!editable) {
    return description ? (
      <section class="panel description" aria-label="Description">
        <p data-testid="description">{description}</p>
      </section>
    ) : null;
  }
  return (
    <section class="panel description">
      <label for="snippet-description">Description</label>
      <textarea
        id="snippet-description"
        rows={2}
        maxLength={LIMITS.descriptionChars}
        placeholder="What it does, for visitors (saved with the next save)"
        value={description}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
    </section>
  );
}
