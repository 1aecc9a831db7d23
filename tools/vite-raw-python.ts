/**
 * A Vite plugin that makes `import source from "./x.py"` give the file's text, so the same
 * Python adapter is bundled for the browser, the unit tests and the edge tests.
 */
import type { Plugin } from "vite";

export function rawPython(): Plugin {
  return {
    name: "fnpad-raw-python",
    transform(code, id) {
      if (!id.endsWith(".py")) return null;
      return { code: `export default ${JSON.stringify(code)};`, map: null };
    },
  };
}
