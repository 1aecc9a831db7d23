/** A syntax error in the user's code, with a 1-based position (its own module: the runtime needs it, not the compiler). */
export class CompileError extends Error {
  override name = "SyntaxError";
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

/**
 * A static import of a module only the edge has (`node:crypto`, `cloudflare:workers`), in a
 * browser run: the browser's workers have none of them, and its own error names a `blob:` URL.
 */
export class EdgeOnlyImportError extends CompileError {
  override name = "ImportError";

  constructor(module: string, line: number, column: number) {
    super(
      `'${module}' is there at the edge only: handlers that run in the browser have no Node or Cloudflare modules. Save, then use Run at edge (or call the endpoint) to run it`,
      line,
      column,
    );
  }
}
