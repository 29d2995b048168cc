import { useEffect, type RefObject } from "react";

/**
 * Adds a "Copy" button to every code block inside `container`. The HTML is sanitised
 * server-side (no buttons allowed), and copying needs JavaScript anyway, so the
 * buttons are added in the browser; without JavaScript the code is still selectable.
 */
export function useCodeCopyButtons(container: RefObject<HTMLElement | null>, html: string) {
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const cleanups: Array<() => void> = [];

    for (const pre of root.querySelectorAll("pre")) {
      if (pre.parentElement?.classList.contains("code-block")) continue;
      const wrapper = document.createElement("div");
      wrapper.className = "code-block";
      pre.parentNode?.insertBefore(wrapper, pre);
      wrapper.appendChild(pre);

      const button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy code to clipboard");
      let reset: ReturnType<typeof setTimeout> | undefined;
      const copy = async () => {
        try {
          await navigator.clipboard.writeText(pre.innerText.replace(/\n$/, ""));
          button.textContent = "Copied";
        } catch {
          button.textContent = "Press Ctrl+C";
        }
        clearTimeout(reset);
        reset = setTimeout(() => (button.textContent = "Copy"), 2000);
      };
      button.addEventListener("click", copy);
      wrapper.appendChild(button);
      cleanups.push(() => {
        clearTimeout(reset);
        button.removeEventListener("click", copy);
      });
    }
    return () => cleanups.forEach((cleanup) => cleanup());
  }, [container, html]);
}
