import { XMLParser, XMLValidator } from "fast-xml-parser";
import { FEED_ITEM_MAX_BYTES, FEED_MAX_BYTES, FEED_MAX_ITEMS, kilobytes, megabytes } from "./limits.ts";
import { ImportError } from "./types.ts";

// RSS 2.0 and Atom, read into plain items. Text nodes are taken raw ("stop nodes") and
// decoded here: only the five XML entities and character references are expanded, so a
// document type that declares its own entities (a "billion laughs" bomb) expands nothing.

export type FeedItem = {
  /** 1-based place in the feed, to name the item in the preview. */
  position: number;
  title: string;
  guid: string | null;
  link: string | null;
  published: Date | null;
  /** The full content as HTML (content:encoded, Atom content, or the description). */
  html: string;
  /** A short description as HTML, when the feed has one besides the content. */
  summaryHtml: string | null;
};

export type FeedEntry = { ok: true; item: FeedItem } | { ok: false; position: number; title: string; reason: string };

export type ParsedFeed = {
  format: "RSS 2.0" | "Atom";
  title: string;
  entries: FeedEntry[];
  /** Items past FEED_MAX_ITEMS, counted but not read. */
  overLimit: number;
};

const TEXT_NODES = ["title", "link", "guid", "id", "pubDate", "published", "updated", "description", "summary"];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  stopNodes: [...TEXT_NODES, "content", "content:encoded"].map((name) => `*.${name}`),
  isArray: (name) => name === "item" || name === "entry" || name === "link",
});

/** Reads a feed; a document that is not a readable RSS 2.0 or Atom feed throws an ImportError saying why. */
export function parseFeed(bytes: Uint8Array): ParsedFeed {
  if (bytes.byteLength > FEED_MAX_BYTES) {
    throw new ImportError(
      `The feed is ${megabytes(bytes.byteLength)}; one import reads at most ${megabytes(FEED_MAX_BYTES)}.`,
    );
  }
  const xml = decode(bytes);
  if (!xml.trim()) throw new ImportError("The feed is empty.");
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    const where = [line ? `line ${line}` : "", col ? `column ${col}` : ""].filter(Boolean).join(", ");
    throw new ImportError(`The feed is not well-formed XML${where ? ` (${where})` : ""}: ${msg}`);
  }
  const document = parser.parse(xml) as Record<string, unknown>;
  if (isRecord(document.rss)) return readRss(document.rss);
  if (isRecord(document.feed)) return readAtom(document.feed);
  if ("rdf:RDF" in document) throw new ImportError("This is an RSS 1.0 (RDF) feed; import RSS 2.0 or Atom instead.");
  const root = Object.keys(document).find((key) => !key.startsWith("?"));
  throw new ImportError(`This XML is not an RSS 2.0 or Atom feed${root ? ` (its root element is <${root}>)` : ""}.`);
}

function decode(bytes: Uint8Array): string {
  const head = String.fromCharCode(...bytes.subarray(0, 200));
  const declared = /^(?:\uFEFF)?<\?xml[^>]*encoding=["']([\w.:-]+)["']/i.exec(head)?.[1] ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared, { fatal: true, ignoreBOM: false });
  } catch {
    throw new ImportError(`The feed is encoded as ${declared}, which imports cannot read; save it as UTF-8.`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new ImportError(`The feed is not valid ${declared.toUpperCase()} text.`);
  }
}

function readRss(rss: Record<string, unknown>): ParsedFeed {
  const channel = rss.channel;
  if (!isRecord(channel)) throw new ImportError("The RSS feed has no <channel> element.");
  const items = asArray(channel.item);
  return {
    format: "RSS 2.0",
    title: text(channel.title) ?? "",
    entries: items.slice(0, FEED_MAX_ITEMS).map((item, index) => {
      const node = isRecord(item) ? item : {};
      const content = text(node["content:encoded"]);
      const description = text(node.description);
      return toEntry(index + 1, {
        title: text(node.title),
        guid: text(node.guid),
        link: text(asArray(node.link)[0]),
        published: text(node.pubDate),
        html: content ?? description,
        summaryHtml: content ? description : null,
      });
    }),
    overLimit: Math.max(0, items.length - FEED_MAX_ITEMS),
  };
}

function readAtom(feed: Record<string, unknown>): ParsedFeed {
  const entries = asArray(feed.entry);
  return {
    format: "Atom",
    title: atomText(feed.title).text,
    entries: entries.slice(0, FEED_MAX_ITEMS).map((entry, index) => {
      const node = isRecord(entry) ? entry : {};
      const content = atomText(node.content);
      const summary = atomText(node.summary);
      return toEntry(index + 1, {
        title: atomText(node.title).text || null,
        guid: text(node.id),
        link: atomLink(node.link),
        published: text(node.published) ?? text(node.updated),
        html: content.html || summary.html || null,
        summaryHtml: content.html ? summary.html || null : null,
      });
    }),
    overLimit: Math.max(0, entries.length - FEED_MAX_ITEMS),
  };
}

type RawItem = {
  title: string | null;
  guid: string | null;
  link: string | null;
  published: string | null;
  html: string | null;
  summaryHtml: string | null;
};

function toEntry(position: number, raw: RawItem): FeedEntry {
  const title = raw.title ? plainTitle(raw.title) : "";
  const skip = (reason: string): FeedEntry => ({ ok: false, position, title, reason });
  if (!title) return skip("It has no title.");
  const guid = raw.guid?.trim() || null;
  const link = raw.link?.trim() || null;
  if (!guid && !link) return skip("It has neither a guid nor a link, so a later import could not recognise it.");
  const html = raw.html ?? "";
  const size = new TextEncoder().encode(html).byteLength;
  if (size > FEED_ITEM_MAX_BYTES) {
    return skip(`Its content is ${kilobytes(size)}; items over ${kilobytes(FEED_ITEM_MAX_BYTES)} are not imported.`);
  }
  if (!html.trim()) return skip("It has no content.");
  const date = raw.published ? new Date(raw.published.trim()) : null;
  return {
    ok: true,
    item: {
      position,
      title,
      guid,
      link,
      published: date && !Number.isNaN(date.getTime()) ? date : null,
      html,
      summaryHtml: raw.summaryHtml?.trim() ? raw.summaryHtml : null,
    },
  };
}

/** Titles are text, but feeds often put HTML entities (and sometimes tags) in them. */
function plainTitle(raw: string): string {
  return decodeHtmlEntities(raw.replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

const XML_NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const HTML_NAMED: Record<string, string> = {
  ...XML_NAMED,
  nbsp: " ",
  rsquo: "\u2019",
  lsquo: "\u2018",
  rdquo: "\u201d",
  ldquo: "\u201c",
  ndash: "\u2013",
  mdash: "\u2014",
  hellip: "\u2026",
};

function decodeReferences(value: string, named: Record<string, string>): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "";
    }
    return named[name.toLowerCase()] ?? match;
  });
}

const decodeHtmlEntities = (value: string) => decodeReferences(value, HTML_NAMED);

/** The text of a raw XML node: CDATA sections kept as they are, entities outside them decoded. */
function decodeXml(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith("<![CDATA[") ? part.slice(9, -3) : decodeReferences(part, XML_NAMED)))
    .join("");
}

/** A text node's value: a string, `{ "#text" }` when it has attributes, the first of repeated ones. */
function text(value: unknown): string | null {
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === "string") return decodeXml(value);
  if (isRecord(value) && typeof value["#text"] === "string") return decodeXml(value["#text"]);
  return null;
}

/** Atom text constructs: type "text" (the default), "html" (escaped) or "xhtml" (inline markup). */
function atomText(value: unknown): { text: string; html: string } {
  const node = Array.isArray(value) ? value[0] : value;
  const type = isRecord(node) && typeof node["@_type"] === "string" ? node["@_type"] : "text";
  if (type === "xhtml") {
    const raw = isRecord(node) && typeof node["#text"] === "string" ? node["#text"] : "";
    // The markup sits in one wrapping <div>; entities in it are the XML ones, which HTML reads the same way.
    const html = raw.replace(/^\s*<div[^>]*>([\s\S]*)<\/div>\s*$/, "$1");
    return { text: plainTitle(html), html };
  }
  const value_ = text(node) ?? "";
  if (type === "html") return { text: plainTitle(value_), html: value_ };
  return { text: value_.replace(/\s+/g, " ").trim(), html: escapeHtml(value_) };
}

function atomLink(value: unknown): string | null {
  const links = asArray(value).filter(isRecord);
  const alternate =
    links.find((link) => link["@_rel"] === undefined || link["@_rel"] === "alternate") ?? links[0] ?? null;
  const href = alternate?.["@_href"];
  return typeof href === "string" ? decodeXml(href) : null;
}

const escapeHtml = (value: string) => value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
