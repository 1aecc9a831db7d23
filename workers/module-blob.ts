/** ES modules run from source text, for documents and workers whose origin is opaque. */

/**
 * A `blob:` URL that runs `source` as the module at `url` would run: `import.meta.url` and stack
 * frames keep the URL it was built for, so that the paths it resolves against it (`/pyodide/`) still name the
 * app's files. Build output only: never handler code.
 */
export function moduleBlobUrl(source: string, url: string): string {
  // A replacer function: `$` in the URL must not be read as a replacement pattern.
  const code = source.replace(/\bimport\.meta\.url\b/g, () => JSON.stringify(url));
  // Stack frames name the module by its URL too, not by the `blob:` URL that handlers' own
  // modules are imported from (the TypeScript harness tells the handler's frames by that).
  const named = `${code}\n//# sourceURL=${url}\n`;
  return URL.createObjectURL(new Blob([named], { type: "text/javascript" }));
}
