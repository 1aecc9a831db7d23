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
