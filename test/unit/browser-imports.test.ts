/** A browser run of a handler that imports one of the edge's modules: refused with its line and a way on. */
import { describe, expect, it } from "vitest";
import { edgeOnlyImport } from "../../workers/typescript/check-imports.ts";
import { compileTypeScript } from "../../workers/typescript/compile.ts";
import { compiledWith, importFromBlob } from "../../workers/typescript/importers.ts";
import { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";
import { getRequest, responseJson } from "./request.ts";

// The browser's loader; in Node the import itself would fail too, so only the refusal can pass.
const browser = new TypeScriptRuntime(compiledWith(importFromBlob), { maxTicks: 1_000_000 });

describe("edge-only imports in the browser", () => {
  it.each([
    ["createHash", "node:crypto", "", 1],
    ["Buffer", "buffer", "// hashing\n", 2],
    ["env", "cloudflare:workers", "", 1],
  ])(
    "importing %s from %j answers an ImportError naming it and Run at edge",
    async (name, module, before, line) => {
      const code = `${before}import { ${name} } from "${module}";\nexport default () => new Response(typeof ${name});\n`;
      const ran = await browser.run(code, getRequest());
      expect(ran.response.status).toBe(500);
      expect(ran.error).toMatchObject({ type: "ImportError", line });
      expect(ran.error?.message).toContain(`'${module}' is there at the edge only`);
      expect(ran.error?.message).toContain("Run at edge");
      expect(responseJson(ran.response.body)).toMatchObject({
        error: { type: "ImportError", line },
      });
    },
  );

  it("leaves code without such imports (and types-only imports) to the import itself", () => {
    expect(edgeOnlyImport('export default () => new Response("hi");\n')).toBeNull();
    expect(
      edgeOnlyImport('const m = await import("node:crypto");\nexport default m;\n'),
    ).toBeNull();
    expect(edgeOnlyImport('import { x } from "./x.ts";\nexport default x;\n')).toBeNull();
    // It reads compiled code, where a types-only import is gone.
    const typesOnly = 'import type { Hash } from "node:crypto";\nexport default (h: Hash) => h;\n';
    expect(edgeOnlyImport(compileTypeScript(typesOnly))).toBeNull();
  });
});
