/** ES modules run from source text, for documents and workers whose origin is opaque. */

/**
 * A `blob:` URL that runs `source` as the module at `url` would run: `import.meta.url` keeps the
 * URL it was built for, so that the paths it resolves against it (`/pyodide/`) still name the
 * app's files. Build output only: never handler code.
 */
export function moduleBlobUrl(source: string, url: string): string {
  // A regular expression, not a string: this function's own text is in the runner's module, and
  // the host writes it into the runner's bootstrap as text too.
  const code = source.replace(/\bimport\.meta\.url\b/g, () => JSON.stringify(url));
  return URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
}
