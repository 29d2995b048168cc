import {
  DURATION_MAX_MINUTES,
  LECTURE_BODY_MAX,
  SUMMARY_MAX,
  SUMMARY_MIN,
  TITLE_MAX,
  TITLE_MIN,
} from "../queries/admin-content-limits.ts";
import type { FeedItem, ParsedFeed } from "./feed.ts";
import { htmlToMarkdown } from "./html-to-markdown.ts";
import { shorten } from "./text.ts";
import type { ImportItem, ImportSource, RejectedItem } from "./types.ts";

// A parsed feed as lectures for one module: every item a draft, its HTML as markdown.

const SOURCE_ID_MAX = 500;
/** Reading speed for the duration estimate; the admin adjusts it in the editor. */
const WORDS_PER_MINUTE = 200;

export function feedSource(feed: ParsedFeed, moduleSlug: string, fileName: string): ImportSource {
  const items: Array<ImportItem & { date: Date | null; feedPosition: number }> = [];
  const rejected: RejectedItem[] = [];
  for (const entry of feed.entries) {
    if (!entry.ok) {
      rejected.push({ origin: `Item ${entry.position}`, title: entry.title, reason: entry.reason });
      continue;
    }
    const result = feedItem(entry.item, moduleSlug);
    if ("reason" in result) rejected.push(result);
    else items.push({ ...result, date: entry.item.published, feedPosition: entry.item.position });
  }
  if (feed.overLimit > 0) {
    const first = feed.entries.length + 1;
    rejected.push({
      origin: `Items ${first}–${first + feed.overLimit - 1}`,
      title: `${feed.overLimit} more ${feed.overLimit === 1 ? "item" : "items"}`,
      reason: `One import reads the first ${feed.entries.length} items of a feed.`,
    });
  }
  // Feeds list the newest post first; a course reads oldest first.
  items.sort((a, b) => (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0) || b.feedPosition - a.feedPosition);
  return {
    kind: "feed",
    label: feed.title ? `the feed “${feed.title}”` : `the feed ${fileName}`,
    items: items.map(({ date: _date, feedPosition: _position, ...item }) => item),
    rejected,
  };
}

function feedItem(item: FeedItem, moduleSlug: string): ImportItem | RejectedItem {
  const origin = `Item ${item.position}`;
  const reject = (reason: string): RejectedItem => ({ origin, title: item.title, reason });
  const key = item.guid ?? item.link ?? "";
  if (key.length > SOURCE_ID_MAX) return reject(`Its guid is longer than ${SOURCE_ID_MAX} characters.`);
  if (item.title.length < TITLE_MIN) return reject(`Its title is shorter than ${TITLE_MIN} characters.`);

  let body: ReturnType<typeof htmlToMarkdown>;
  let summaryText = "";
  try {
    body = htmlToMarkdown(item.html, item.link);
    if (item.summaryHtml) summaryText = htmlToMarkdown(item.summaryHtml, item.link).text;
  } catch {
    // Pathological markup (nesting deep enough to exhaust the stack) ends here, not in a crash.
    return reject("Its HTML could not be converted to markdown.");
  }
  if (!body.markdown) return reject("Nothing is left of its content once scripts and embeds are removed.");
  if (body.markdown.length > LECTURE_BODY_MAX) {
    return reject(
      `As markdown it has ${body.markdown.length.toLocaleString("en")} characters; a lecture has at most ${LECTURE_BODY_MAX.toLocaleString("en")}.`,
    );
  }
  const summary = shorten(summaryText || body.firstParagraph || body.text, SUMMARY_MAX);
  if (summary.length < SUMMARY_MIN) return reject("It has too little text to summarise.");
  return {
    origin,
    sourceId: `feed:${key}`,
    moduleSlug,
    title: shorten(item.title, TITLE_MAX),
    slug: null,
    position: null,
    summary,
    bodyMarkdown: body.markdown,
    durationMinutes: Math.min(DURATION_MAX_MINUTES, Math.max(1, Math.ceil(body.words / WORDS_PER_MINUTE))),
    published: false,
    freePreview: false,
  };
}
