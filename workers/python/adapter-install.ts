/**
 * Installs fnpad's adapter (`adapter.py`, the `fnpad`, `workers` and `_fnpad_forms` modules it
 * installs in turn, and the syntax checker) into a Pyodide, as the module `_fnpad_adapter`.
 * The build-time snapshot (`edge/sandbox/isolate/python-snapshot.ts`) does this before it is
 * taken, so a restored Python finds the adapter with its stdlib imports done; `runtime.ts` only
 * installs it when the Pyodide it got lacks it (Node, a boot without snapshot, a snapshot of
 * other sources). Nothing per run is set here: no JS object but `js` globals (which Pyodide's
 * snapshot restores by name), no env, no request, no interrupt buffer, no stdout hook.
 */
import type { PyodideInterface } from "pyodide";
import { fnv1a } from "../bytes.ts";
import adapterSource from "./adapter.py";
import fnpadSource from "./fnpad_module.py";
import formsSource from "./forms.py";
import { ADAPTER_MODULE, SYNTAX_CHECKER } from "./syntax-checker.ts";
import workersSource from "./workers_module.py";

/** The modules the adapter installs, by name, in dependency order. */
const MODULE_SOURCES = { fnpad: fnpadSource, workers: workersSource, _fnpad_forms: formsSource };

/** FNV-1a of every source above: which adapter a snapshot holds. */
function stampOf(sources: string[]): string {
  const hash = fnv1a(sources.join("\u0000"));
  return `${hash.toString(16)}-${sources.reduce((n, source) => n + source.length, 0)}`;
}

const STAMP = stampOf([adapterSource, SYNTAX_CHECKER, ...Object.values(MODULE_SOURCES)]);

/** Runs in a throwaway namespace that holds the sources; leaves only `sys.modules[ADAPTER_MODULE]`. */
const INSTALLER = `
import sys, types
adapter = types.ModuleType("${ADAPTER_MODULE}")
adapter.__file__ = "fnpad_adapter.py"
adapter.MODULE_SOURCES = MODULE_SOURCES
exec(compile(ADAPTER_SOURCE, "fnpad_adapter.py", "exec"), adapter.__dict__)
exec(compile(CHECKER_SOURCE, "fnpad_check.py", "exec"), adapter.__dict__)
del adapter.MODULE_SOURCES
adapter.STAMP = STAMP
sys.modules["${ADAPTER_MODULE}"] = adapter
`;

const INSTALLED_STAMP = `
import sys
getattr(sys.modules.get("${ADAPTER_MODULE}"), "STAMP", None)
`;

/** Runs `source` in a fresh namespace holding `names`, returning its value as JS. */
function runIsolated(pyodide: PyodideInterface, source: string, names: Record<string, unknown>) {
  const namespace = pyodide.globals.get("dict")();
  try {
    for (const [name, value] of Object.entries(names)) namespace.set(name, value);
    return pyodide.runPython(source, { globals: namespace, filename: "fnpad_install.py" });
  } finally {
    namespace.destroy();
  }
}

/** Installs the adapter (again, if one was there). */
export function installAdapter(pyodide: PyodideInterface): void {
  const sources = pyodide.toPy(MODULE_SOURCES);
  try {
    runIsolated(pyodide, INSTALLER, {
      MODULE_SOURCES: sources,
      ADAPTER_SOURCE: adapterSource,
      CHECKER_SOURCE: SYNTAX_CHECKER,
      STAMP,
    });
  } finally {
    sources.destroy();
  }
}

/** Whether `pyodide` holds this very adapter already (restored from a snapshot that has it). */
export function hasAdapter(pyodide: PyodideInterface): boolean {
  return runIsolated(pyodide, INSTALLED_STAMP, {}) === STAMP;
}

/** The adapter's entry points, as JS callables (PyProxies the caller keeps). */
export interface AdapterEntries<Run, Step> {
  run: Run;
  step: Step;
  check: (code: string) => string;
  /** Cancels every pending asyncio task. */
  cancelPending: () => void;
}

/** The installed adapter's entry points; installs it first unless it is there. */
export function adapterEntries<Run, Step>(pyodide: PyodideInterface): AdapterEntries<Run, Step> {
  if (!hasAdapter(pyodide)) installAdapter(pyodide);
  // The module's dict, not the module: attributes read off a module proxy are borrowed and die with it.
  const names = runIsolated(pyodide, `import sys\nsys.modules["${ADAPTER_MODULE}"].__dict__`, {});
  try {
    return {
      run: names.get("run"),
      step: names.get("step"),
      check: names.get("check"),
      cancelPending: names.get("_cancel_leftovers"),
    };
  } finally {
    names.destroy();
  }
}
