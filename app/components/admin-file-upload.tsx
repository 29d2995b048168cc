import { useRevalidator } from "@remix-run/react";
import { useRef, useState, type FormEvent } from "react";
import { useHydrated } from "~/lib/use-hydrated";

// Uploads one file to the lecture through the multipart API (/api/admin/uploads): parts go
// up one after another with XMLHttpRequest, whose upload events drive the progress bar.
// The upload's id is kept in localStorage under the lecture and the file's name, size and
// date, so choosing the same file again after a dropped connection (or a reload) sends
// only the parts the server does not have yet.

const API = "/api/admin/uploads";

type Upload = { id: string; size: number; partSize: number; partCount: number; status: string; parts: Part[] };
type Part = { partNumber: number; size: number };

type State =
  | { phase: "idle"; notice?: string }
  | { phase: "uploading"; name: string; sent: number; total: number; notice: string }
  | { phase: "failed"; name: string; sent: number; total: number; error: string; canRetry: boolean };

/** `status` 0 is a dropped connection; the server's refusals carry its message. */
class UploadError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

const errorMessage = (body: string, status: number) => {
  try {
    return (JSON.parse(body) as { error: { message: string } }).error.message;
  } catch {
    return `The server answered ${status}.`;
  }
};

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init).catch(() => {
    throw new UploadError("The connection dropped.", 0);
  });
  const body = await response.text();
  if (!response.ok) throw new UploadError(errorMessage(body, response.status), response.status);
  return (body ? JSON.parse(body) : null) as T;
}

const storageKey = (lectureId: number, file: File) =>
  `lecture-upload:${lectureId}:${file.name}:${file.size}:${file.lastModified}`;

/** The unfinished upload of this very file, if the server still has it. */
async function resumable(key: string, size: number): Promise<Upload | null> {
  const id = localStorage.getItem(key);
  if (!id) return null;
  const upload = await call<{ upload: Upload }>(`${API}/${id}`).then(
    (body) => body.upload,
    (error: UploadError) => {
      if (error.status === 0) throw error;
      return null;
    },
  );
  if (upload?.status === "uploading" && upload.size === size) return upload;
  localStorage.removeItem(key);
  return null;
}

/** One attempt at uploading a file; Cancel flags it, and the loop cleans up where it stands. */
type Run = { file: File; key: string; uploadId?: string; cancelled?: boolean };

export function AdminFileUpload({ lectureId, accepted }: { lectureId: number; accepted: string }) {
  const hydrated = useHydrated();
  const revalidator = useRevalidator();
  const [state, setState] = useState<State>({ phase: "idle" });
  const input = useRef<HTMLInputElement>(null);
  const request = useRef<XMLHttpRequest | null>(null);
  const current = useRef<Run | null>(null);

  function sendPart(uploadId: string, partNumber: number, blob: Blob, onProgress: (loaded: number) => void) {
    return new Promise<void>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      request.current = xhr;
      xhr.open("PUT", `${API}/${uploadId}/parts/${partNumber}`);
      xhr.upload.onprogress = (event) => onProgress(event.loaded);
      xhr.onload = () =>
        xhr.status < 300 ? resolve() : reject(new UploadError(errorMessage(xhr.responseText, xhr.status), xhr.status));
      xhr.onerror = () => reject(new UploadError("The connection dropped.", 0));
      xhr.onabort = () => reject(new UploadError("Cancelled.", -1));
      xhr.send(blob);
    });
  }

  /** `resumeFrom`: what the bar showed when the connection dropped, kept while the server is asked. */
  async function upload(file: File, resumeFrom = 0) {
    const run: Run = { file, key: storageKey(lectureId, file) };
    current.current = run;
    const show = (sent: number, notice: string) =>
      setState({ phase: "uploading", name: file.name, sent, total: file.size, notice });
    const checkCancelled = () => {
      if (run.cancelled) throw new UploadError("Cancelled.", -1);
    };
    let sent = resumeFrom;
    try {
      show(sent, resumeFrom > 0 ? `Reconnecting to continue ${file.name}…` : `Preparing ${file.name}…`);
      let target = await resumable(run.key, file.size);
      if (!target) {
        const created = await call<{ upload: Upload }>(API, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            lectureId,
            fileName: file.name,
            size: file.size,
            contentType: file.type || undefined,
          }),
        });
        target = created.upload;
        localStorage.setItem(run.key, target.id);
      }
      run.uploadId = target.id;
      checkCancelled();
      const stored = new Set(target.parts.map((part) => part.partNumber));
      sent = target.parts.reduce((sum, part) => sum + part.size, 0);
      const notice = stored.size > 0 ? `Resuming ${file.name} where it stopped…` : `Uploading ${file.name}…`;
      show(sent, notice);
      for (let partNumber = 1; partNumber <= target.partCount; partNumber++) {
        if (stored.has(partNumber)) continue;
        const begin = (partNumber - 1) * target.partSize;
        const blob = file.slice(begin, Math.min(begin + target.partSize, file.size));
        await sendPart(target.id, partNumber, blob, (loaded) => show(sent + loaded, notice));
        sent += blob.size;
        show(sent, notice);
        checkCancelled();
      }
      show(sent, `Finishing ${file.name}…`);
      await call(`${API}/${target.id}/complete`, { method: "POST" });
      localStorage.removeItem(run.key);
      current.current = null;
      if (input.current) input.current.value = "";
      setState({ phase: "idle", notice: `Uploaded ${file.name}.` });
      revalidator.revalidate();
    } catch (caught) {
      const error = caught instanceof UploadError ? caught : new UploadError("The upload failed.", 500);
      if (run.cancelled) {
        localStorage.removeItem(run.key);
        if (run.uploadId) await call(`${API}/${run.uploadId}`, { method: "DELETE" }).catch(() => undefined);
        return;
      }
      // A dropped connection or a server hiccup can be retried from where it stopped; a
      // refusal (wrong type, too large) means this file cannot be uploaded.
      const canRetry = error.status === 0 || error.status >= 500;
      if (!canRetry) localStorage.removeItem(run.key);
      setState({ phase: "failed", name: file.name, sent, total: file.size, error: error.message, canRetry });
    } finally {
      request.current = null;
    }
  }

  function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (file) return void upload(file);
    setState({ phase: "failed", name: "", sent: 0, total: 0, error: "Choose a file first.", canRetry: false });
  }

  function cancel() {
    const run = current.current;
    current.current = null;
    setState({ phase: "idle", notice: "Upload cancelled." });
    if (!run) return;
    run.cancelled = true;
    if (request.current) request.current.abort();
    // A run that already stopped (after a dropped connection) is cleaned up here.
    else if (state.phase === "failed") {
      localStorage.removeItem(run.key);
      if (run.uploadId) void call(`${API}/${run.uploadId}`, { method: "DELETE" }).catch(() => undefined);
    }
  }

  const busy = state.phase === "uploading";
  const retryable = state.phase === "failed" && state.canRetry;
  const showProgress = state.phase !== "idle" && state.total > 0;
  const percent = showProgress ? Math.floor((state.sent / state.total) * 100) : 0;
  return (
    <form
      onSubmit={start}
      className="space-y-4 rounded-2xl border border-line bg-surface p-5 sm:p-6"
      aria-labelledby="upload-heading"
    >
      <h2 id="upload-heading" className="text-lg font-semibold">
        Upload a file
      </h2>
      <div>
        <label htmlFor="upload-file" className="block text-sm font-medium">
          File
        </label>
        <input
          ref={input}
          id="upload-file"
          type="file"
          disabled={!hydrated || busy}
          aria-describedby="upload-file-hint"
          className="mt-1.5 block w-full text-sm file:mr-3 file:rounded-lg file:border file:border-line file:bg-surface-2 file:px-3 file:py-2 file:text-ink"
        />
        <p id="upload-file-hint" className="mt-1 text-xs text-muted">
          {accepted} The type is checked from the file's content. Large files go up in parts: if the connection drops,
          choose the same file again to continue where it stopped.
        </p>
      </div>
      {hydrated ? null : <p className="text-sm text-muted">Uploading needs JavaScript in this browser.</p>}
      {showProgress ? (
        <div>
          <div className="flex items-baseline justify-between text-sm">
            <span className="truncate text-muted">{state.name}</span>
            <span className="font-semibold">{percent}%</span>
          </div>
          <progress
            value={state.sent}
            max={state.total}
            aria-label="Upload progress"
            className="mt-1.5 block h-2 w-full overflow-hidden rounded-full bg-surface-2 [&::-moz-progress-bar]:bg-accent [&::-webkit-progress-bar]:bg-surface-2 [&::-webkit-progress-value]:bg-accent"
          />
        </div>
      ) : null}
      <p aria-live="polite" role="status" className="text-sm empty:hidden">
        {state.phase === "failed" ? "" : state.notice}
      </p>
      {state.phase === "failed" ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.error}
          {state.canRetry ? " The parts already sent are kept: retry to continue." : ""}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-3">
        <button
          type="submit"
          disabled={!hydrated || busy}
          className="rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong disabled:opacity-60"
        >
          Upload
        </button>
        {retryable ? (
          <button
            type="button"
            onClick={() =>
              current.current && void upload(current.current.file, state.phase === "failed" ? state.sent : 0)
            }
            className="rounded-lg border border-line px-5 py-2.5 font-semibold hover:bg-surface-2"
          >
            Retry
          </button>
        ) : null}
        {busy || retryable ? (
          <button
            type="button"
            onClick={cancel}
            className="rounded-lg border border-line px-5 py-2.5 font-semibold hover:bg-surface-2"
          >
            Cancel upload
          </button>
        ) : null}
      </div>
    </form>
  );
}
