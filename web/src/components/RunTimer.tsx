import { useEffect, useState } from "preact/hooks";

/** How long the current run has been going, ticking while it goes. */
export function RunTimer() {
  const [started] = useState(() => performance.now());
  const [now, setNow] = useState(started);
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, []);
  return (
    <span class="run-timer" role="status" data-testid="run-timer">
      Running… {((now - started) / 1000).toFixed(1)} s
    </span>
  );
}
