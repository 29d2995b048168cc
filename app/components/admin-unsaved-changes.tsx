import { useBlocker } from "@remix-run/react";
import { useCallback, useEffect, useRef } from "react";

/**
 * Asks before unsaved edits are lost: the browser's own prompt when the tab closes or
 * reloads, and ours when a link leads away from the page. Posting a form of this page
 * (save, preview, move, delete) goes to the same address and is never held up.
 */
export function useUnsavedChangesGuard(dirty: boolean) {
  const blocker = useBlocker(
    useCallback(
      ({
        currentLocation,
        nextLocation,
      }: {
        currentLocation: { pathname: string };
        nextLocation: { pathname: string };
      }) => dirty && currentLocation.pathname !== nextLocation.pathname,
      [dirty],
    ),
  );

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  // Saved in the meantime: nothing is lost any more, let the navigation go.
  useEffect(() => {
    if (blocker.state === "blocked" && !dirty) blocker.proceed();
  }, [blocker, dirty]);

  return blocker;
}

export function UnsavedChangesPrompt({ blocker }: { blocker: ReturnType<typeof useBlocker> }) {
  const stay = useRef<HTMLButtonElement>(null);
  const blocked = blocker.state === "blocked";
  useEffect(() => {
    if (blocked) stay.current?.focus();
  }, [blocked]);
  if (!blocked) return null;
  return (
    <div
      role="alertdialog"
      aria-labelledby="unsaved-title"
      aria-describedby="unsaved-text"
      className="fixed inset-x-4 bottom-4 z-50 mx-auto max-w-lg rounded-2xl border border-line bg-surface p-5 shadow-lg"
    >
      <h2 id="unsaved-title" className="font-semibold">
        Leave without saving?
      </h2>
      <p id="unsaved-text" className="mt-1 text-sm text-muted">
        Your changes to this lecture are not saved yet. If you leave now, they are lost.
      </p>
      <div className="mt-4 flex flex-wrap gap-3">
        <button
          ref={stay}
          type="button"
          onClick={() => blocker.reset?.()}
          className="rounded-lg bg-accent px-4 py-2 text-sm font-semibold text-on-accent hover:bg-accent-strong"
        >
          Stay and keep editing
        </button>
        <button
          type="button"
          onClick={() => blocker.proceed?.()}
          className="rounded-lg border border-line px-4 py-2 text-sm font-medium hover:bg-surface-2"
        >
          Leave without saving
        </button>
      </div>
    </div>
  );
}
