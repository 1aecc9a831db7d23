import { useEffect, useState } from "preact/hooks";

/**
 * The page's one-column layout (a phone, a narrow window): the width `styles.css` switches at.
 * Parts of the page that differ there (the results' place, Monaco's word wrap) ask this one query.
 */
export const oneColumn = matchMedia("(max-width: 900px)");

/** Whether the page is in its one-column layout now; re-renders when that changes. */
export function useOneColumn(): boolean {
  const [matches, setMatches] = useState(oneColumn.matches);
  useEffect(() => {
    const listener = () => setMatches(oneColumn.matches);
    oneColumn.addEventListener("change", listener);
    listener();
    return () => oneColumn.removeEventListener("change", listener);
  }, []);
  return matches;
}
