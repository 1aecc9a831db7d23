import { type editor, KeyCode } from "monaco-editor/editor/editor.api.js";

/**
 * Tab indents inside the editor, as programmers expect; Escape then Tab (or Shift+Tab) leaves it,
 * so keyboard users are never trapped. Escape turns on Monaco's tab-focus mode for the next key
 * only: any other key, or leaving the editor, turns it off again.
 */
export function leaveWithEscapeThenTab(instance: editor.IStandaloneCodeEditor): {
  dispose(): void;
} {
  let armed = false;
  const arm = (on: boolean) => {
    if (armed === on) return;
    armed = on;
    instance.updateOptions({ tabFocusMode: on });
  };
  const keys = instance.onKeyDown((event) => {
    if (event.keyCode === KeyCode.Escape) arm(true);
    else if (event.keyCode !== KeyCode.Tab && event.keyCode !== KeyCode.Shift) arm(false);
  });
  const blur = instance.onDidBlurEditorText(() => arm(false));
  return {
    dispose() {
      keys.dispose();
      blur.dispose();
    },
  };
}
