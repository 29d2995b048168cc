// What every import source (a feed, a zip of markdown files) is turned into before it is planned.

/** A source that cannot be imported at all (broken XML, not a zip, a zip bomb): the message says why. */
export class ImportError extends Error {
  override name = "ImportError";
  /** The form field at fault, when it is one ("module"). */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

/** One lecture as the source describes it. */
export type ImportItem = {
  /** Where it is in the source, for the preview: "Item 3", "docker/intro.md". */
  origin: string;
  /** Stable across imports: "feed:<guid or link>", "zip:<module>/<slug>" or "zip:<id>". */
  sourceId: string;
  moduleSlug: string;
  title: string;
  /** Given by a zip's front matter; feed items get one from their title. */
  slug: string | null;
  /** Given by a zip's front matter; feed items go after the module's last lecture. */
  position: number | null;
  summary: string;
  bodyMarkdown: string;
  durationMinutes: number;
  published: boolean;
  freePreview: boolean;
};

/** Something in the source that is not imported, and why. */
export type RejectedItem = { origin: string; title: string; reason: string };

export type ImportSource = {
  kind: "feed" | "zip";
  /** "the feed DevOps Blog", "the zip docker-lectures.zip" */
  label: string;
  items: ImportItem[];
  rejected: RejectedItem[];
};
