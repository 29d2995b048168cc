import { formatFileSize } from "~/components/project-submission-card";

export type LectureDownload = { id: string; fileName: string; contentType: string; size: number };

const TYPE_LABELS: Record<string, string> = {
  "application/pdf": "PDF",
  "application/zip": "ZIP archive",
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
  "image/webp": "WebP image",
  "image/gif": "GIF image",
  "video/mp4": "MP4 video",
  "video/quicktime": "QuickTime video",
  "video/webm": "WebM video",
  "text/plain": "Text",
  "text/vtt": "WebVTT captions",
};

/** "PDF", "PNG image": what a stored content type means to a reader. */
export function fileTypeLabel(contentType: string): string {
  return TYPE_LABELS[contentType.split(";")[0]!.trim()] ?? "File";
}

/** The lecture's files (slides, handouts) as downloads; the media route checks access again. */
export function LectureDownloads({ baseUrl, files }: { baseUrl: string; files: LectureDownload[] }) {
  if (files.length === 0) return null;
  return (
    <section aria-labelledby="downloads-heading" className="mt-10 max-w-3xl">
      <h2 id="downloads-heading" className="text-lg font-semibold">
        Downloads
      </h2>
      <ul className="mt-3 divide-y divide-line rounded-2xl border border-line bg-surface">
        {files.map((file) => (
          <li key={file.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 px-4 py-3">
            <a
              href={`${baseUrl}/${file.id}`}
              download={file.fileName}
              className="font-medium break-all text-accent-strong underline-offset-2 hover:underline"
            >
              {file.fileName}
            </a>
            <span className="text-sm text-muted">
              {fileTypeLabel(file.contentType)} · {formatFileSize(file.size)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
