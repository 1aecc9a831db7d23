/** An esbuild plugin: `import source from "./x.py"` gives the file's text, as Vite's `rawPython` does. */
import { readFileSync } from "node:fs";
import type { PluginBuild } from "esbuild";

export const pythonAsText = {
  name: "python-as-text",
  setup(b: PluginBuild) {
    b.onLoad({ filter: /\.py$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8"),
      loader: "text",
    }));
  },
};
