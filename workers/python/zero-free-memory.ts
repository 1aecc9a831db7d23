/**
 * Zeroes the free memory of Pyodide's wasm heap before a memory snapshot is made. A free chunk
 * keeps whatever it last held, which gzip can do little with; zeroed, the build's snapshot is
 * ~18% smaller gzipped (measured in Node: 6.94 → 5.66 MB), which every first visit downloads.
 * Each free chunk is taken with `malloc`, zeroed and freed again, with the allocator's footprint
 * capped meanwhile, so that `malloc` fails rather than grow the memory (which would make the
 * snapshot, and every restored Python, larger).
 */

/** The part of Emscripten's module (`pyodide._module`) this needs. */
export interface WasmHeap {
  readonly HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _malloc_footprint(): number;
  _malloc_set_footprint_limit(bytes: number): number;
}

/** Pyodide's Emscripten module, which its public type does not show. */
export function wasmHeapOf(pyodide: object): WasmHeap {
  return (pyodide as { _module: WasmHeap })._module;
}

/** The largest and smallest blocks asked for: every free chunk is taken, big ones first. */
const LARGEST = 1 << 24;
const SMALLEST = 16;
/** `(size_t) -1`: no footprint limit, dlmalloc's default. */
const NO_LIMIT = -1;

/** Zeroes every free chunk of `heap`; returns how many bytes that was. The heap does not grow. */
export function zeroFreeMemory(heap: WasmHeap): number {
  const size = heap.HEAPU8.length;
  const taken: number[] = [];
  let zeroed = 0;
  heap._malloc_set_footprint_limit(heap._malloc_footprint());
  try {
    for (let bytes = LARGEST; bytes >= SMALLEST; bytes /= 2) {
      for (let pointer = heap._malloc(bytes); pointer !== 0; pointer = heap._malloc(bytes)) {
        heap.HEAPU8.fill(0, pointer, pointer + bytes);
        taken.push(pointer);
        zeroed += bytes;
      }
    }
  } finally {
    for (const pointer of taken) heap._free(pointer);
    heap._malloc_set_footprint_limit(NO_LIMIT);
  }
  if (heap.HEAPU8.length !== size) throw new Error("the wasm heap grew while it was being zeroed");
  return zeroed;
}
