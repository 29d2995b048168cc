import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

const AUTOSAVE_AFTER_MS = 800;

/**
 * Private markdown notes on a lecture. With JavaScript they save themselves shortly
 * after typing stops; without it, the Save button posts the form.
 */
export function LectureNotes({ lectureId, initial }: { lectureId: number; initial: string }) {
  const fetcher = useFetcher<{ saved?: string; error?: string }>({ key: `note-${lectureId}` });
  const form = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [edited, setEdited] = useState(false);

  const scheduleSave = () => {
    setEdited(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (form.current) void fetcher.submit(form.current, { method: "post", preventScrollReset: true });
    }, AUTOSAVE_AFTER_MS);
  };

  const status =
    fetcher.state !== "idle"
      ? "Saving…"
      : fetcher.data?.error
        ? fetcher.data.error
        : fetcher.data?.saved
          ? "Saved"
          : edited
            ? "Unsaved changes"
            : "";

  // Typing, then leaving before the autosave runs, would lose the last words: ask first.
  const pending = status === "Unsaved changes" || status === "Saving…";
  useEffect(() => {
    if (!pending) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [pending]);

  return (
    <section aria-labelledby="notes-heading" className="mt-10 max-w-3xl rounded-xl border border-line bg-surface p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="notes-heading" className="font-semibold">
          My notes
        </h2>
        <p
          role="status"
          aria-live="polite"
          className={`text-sm ${fetcher.data?.error ? "text-red-700 dark:text-red-400" : "text-muted"}`}
        >
          {status}
        </p>
      </div>
      <fetcher.Form ref={form} method="post" preventScrollReset className="mt-3">
        <input type="hidden" name="intent" value="note" />
        <input type="hidden" name="lectureId" value={lectureId} />
        <label htmlFor={`note-${lectureId}`} className="text-sm text-muted">
          Private to you. Markdown works;{" "}
          <Link to="/notes" className="underline">
            all your notes
          </Link>{" "}
          can be exported.
        </label>
        <textarea
          id={`note-${lectureId}`}
          name="body"
          defaultValue={initial}
          rows={6}
          onInput={scheduleSave}
          className="mt-2 block w-full rounded-lg border border-line bg-canvas px-3 py-2 font-mono text-sm"
        />
        <button
          type="submit"
          className="mt-3 rounded-lg border border-line px-4 py-2 text-sm font-medium hover:bg-surface-2"
        >
          Save note
        </button>
      </fetcher.Form>
    </section>
  );
}
