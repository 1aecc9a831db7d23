import { render } from "preact";
import { App } from "./app.tsx";
import { registerServiceWorker } from "./offline.ts";
import { pythonFiles } from "./run/runner-frame.ts";
import "./styles.css";

const root = document.getElementById("app");
if (root) render(<App />, root);
// The page works from here on (a plain textarea until Monaco arrives); the benchmark measures up to this mark.
performance.mark("fnpad:usable");
registerServiceWorker(pythonFiles);
