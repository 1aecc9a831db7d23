/** Copies `text`; resolves to whether it worked (the clipboard may be refused, e.g. without focus). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
