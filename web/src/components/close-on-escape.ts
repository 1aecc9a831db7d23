/**
 * Escape inside an open `<details>` closes it and puts the focus back on its summary: the
 * snippet bar's disclosures (Limits, the curl command) open over the editor, like a popover; the
 * Versions and Calls panels close the same way.
 */
export function closeDetailsOnEscape(event: KeyboardEvent): void {
  const details = event.currentTarget;
  if (event.key !== "Escape" || event.defaultPrevented) return; // An inner one closed already.
  if (!(details instanceof HTMLDetailsElement) || !details.open) return;
  event.preventDefault();
  details.open = false;
  details.querySelector("summary")?.focus();
}
