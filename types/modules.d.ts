/** Python sources (`*.py`) are imported as their text, by Vite and by wrangler alike. */
declare module "*.py" {
  const source: string;
  export default source;
}
