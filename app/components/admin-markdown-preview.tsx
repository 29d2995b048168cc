import { useCallback, useEffect, useRef, useState } from "react";

const DEBOUNCE_MS = 400;

type PreviewStatus = { kind: "idle" } | { kind: "updating" } | { kind: "error"; message: string };

/**
 * Live preview of markdown as students will see it: the text is sent, shortly after typing
 * stops, to the admin preview endpoint, which renders it through the site's own pipeline.
 * An answer that arrives after newer text was sent is dropped. `serverHtml` (what the page
 * was rendered with, or the no-JavaScript Preview button's result) wins when it changes.
 */
export function useLivePreview(serverHtml: string) {
  const [html, setHtml] = useState(serverHtml);
  const [status, setStatus] = useState<PreviewStatus>({ kind: "idle" });
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const inFlight = useRef<AbortController | null>(null);

  // A new server render replaces whatever the live preview showed (React's "adjust state
  // when a prop changes" pattern, during render rather than in an effect).
  const [shownServerHtml, setShownServerHtml] = useState(serverHtml);
  if (serverHtml !== shownServerHtml) {
    setShownServerHtml(serverHtml);
    setHtml(serverHtml);
  }
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      inFlight.current?.abort();
    },
    [],
  );

  const update = useCallback((markdown: string) => {
    clearTimeout(timer.current);
    setStatus({ kind: "updating" });
    timer.current = setTimeout(() => {
      inFlight.current?.abort();
      const request = new AbortController();
      inFlight.current = request;
      void renderPreview(markdown, request.signal).then(
        (rendered) => {
          setHtml(rendered);
          setStatus({ kind: "idle" });
        },
        (error: unknown) => {
          if (request.signal.aborted) return;
          setStatus({
            kind: "error",
            message: error instanceof Error ? error.message : "The preview could not update.",
          });
        },
      );
    }, DEBOUNCE_MS);
  }, []);

  return { html, status, update };
}

async function renderPreview(markdown: string, signal: AbortSignal): Promise<string> {
  const response = await fetch("/api/admin/preview", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ markdown }),
    signal,
  });
  const body = (await response.json().catch(() => null)) as { html?: string; error?: { message?: string } } | null;
  if (!response.ok || typeof body?.html !== "string") {
    throw new Error(body?.error?.message ?? "The preview could not update: check your connection.");
  }
  return body.html;
}

/** The rendered preview, as a labelled region; the lecture page's own typography. */
export function MarkdownPreview({ html, status }: { html: string; status: PreviewStatus }) {
  return (
    <section aria-label="Preview" className="rounded-2xl border border-line bg-surface p-5 sm:p-6">
      <div className="flex items-baseline justify-between gap-3">
        <h2 className="text-sm font-semibold tracking-wide text-muted uppercase">Preview</h2>
        <p role="status" className="text-xs text-muted">
          {status.kind === "updating" ? "Updating…" : ""}
        </p>
      </div>
      {status.kind === "error" ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {status.message}
        </p>
      ) : null}
      {html ? (
        <div className="prose mt-4 max-w-none" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p className="mt-4 text-sm text-muted">Nothing to preview yet: write the body, and it appears here.</p>
      )}
    </section>
  );
}
