import { type ComponentType, type FunctionComponent, h } from "preact";
import { useEffect, useState } from "preact/hooks";

/** A component whose code is fetched when it is first needed, or earlier with `preload`. */
export interface LazyComponent<P> extends FunctionComponent<P> {
  /** Starts fetching its code now (the page calls it once it is usable). */
  preload(): Promise<unknown>;
}

/**
 * A component loaded on demand: it renders nothing until its code is there (a moment, the first
 * time; at once later), so that parts the first screen does not show stay out of the page's first
 * load. A failed fetch (offline before the first visit cached it) is tried again next time.
 */
export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
): LazyComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () => {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    );
    return loading;
  };
  const Lazy = (props: P) => {
    // A count, not the component: `useState` would call a function given to it as an initializer.
    const [, rendered] = useState(0);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      preload().then(
        () => live && rendered((count) => count + 1),
        (error: unknown) => console.error("A part of the page did not load:", error),
      );
      return () => {
        live = false;
      };
    }, []);
    return loaded ? h(loaded, props) : null;
  };
  return Object.assign(Lazy, { preload });
}
