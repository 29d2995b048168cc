import type { Element, ElementContent, Root, RootContent } from "hast";
import type { Root as MdastRoot } from "mdast";
import { toText } from "hast-util-to-text";
import rehypeParse from "rehype-parse";
import rehypeRemark from "rehype-remark";
import remarkGfm from "remark-gfm";
import remarkStringify from "remark-stringify";
import { unified } from "unified";
import { collapseSpaces } from "./text.ts";

// Feed HTML becomes markdown, the format lectures are written in. Only what markdown can
// say survives: elements that run code or embed other pages are dropped with their content,
// links that are not http(s), mailto or relative lose their link, and no raw HTML is left in
// the output. The markdown is then rendered by the one pipeline, which sanitises again.

/** Dropped with everything inside them. */
const DROPPED = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "form",
  "input",
  "button",
  "select",
  "textarea",
  "link",
  "meta",
  "base",
  "title",
  "svg",
  "math",
  "canvas",
  "audio",
  "video",
  "source",
  "track",
]);

const LANGUAGE_CLASS = [/^(?:language|lang)-(.+)$/, /^highlight-source-(.+)$/, /^brush:(.+)$/];
const LANGUAGE_NAME = /^[a-z0-9][a-z0-9+#._-]{0,30}$/;

export type ConvertedHtml = {
  markdown: string;
  /** The first paragraph as plain text (for the lecture's summary). */
  firstParagraph: string;
  /** All of its text, spaces collapsed. */
  text: string;
  /** Words of running text, to estimate how long the lecture takes. */
  words: number;
};

const parser = unified().use(rehypeParse, { fragment: true });

const writer = unified()
  .use(rehypeRemark)
  .use(dropRawHtml)
  .use(remarkGfm)
  .use(remarkStringify, { bullet: "-", emphasis: "_", fences: true, rule: "-" });

/** `baseUrl` (the item's own address) makes relative links and images absolute. */
export function htmlToMarkdown(html: string, baseUrl: string | null): ConvertedHtml {
  const tree = parser.parse(html);
  clean(tree, baseUrl);
  const firstParagraph = findFirst(tree, "p");
  const text = collapseSpaces(toText(tree));
  const mdast = writer.runSync(tree) as unknown as MdastRoot;
  return {
    markdown: writer.stringify(mdast).trim(),
    firstParagraph: firstParagraph ? collapseSpaces(toText(firstParagraph)) : "",
    text,
    words: text ? text.split(" ").length : 0,
  };
}

/** Anything that is still HTML after conversion (comments, unknown raw blocks) is removed. */
function dropRawHtml() {
  type Node = { type: string; children?: Node[] };
  const walk = (node: Node): void => {
    if (!node.children) return;
    node.children = node.children.filter((child) => child.type !== "html");
    node.children.forEach(walk);
  };
  return (tree: MdastRoot) => walk(tree as Node);
}

function clean(tree: Root, baseUrl: string | null) {
  const shiftHeadings = findFirst(tree, "h1") !== null;
  const visit = (parent: Root | Element, ancestors: Element[]) => {
    const kept: Array<RootContent | ElementContent> = [];
    for (const child of parent.children) {
      if (child.type === "comment" || child.type === "doctype") continue;
      if (child.type !== "element") {
        kept.push(child);
        continue;
      }
      if (DROPPED.has(child.tagName)) continue;
      if (child.tagName === "pre") {
        visit(child, [child, ...ancestors]);
        markCodeLanguage(child, ancestors);
        kept.push(child);
        continue;
      }
      visit(child, [child, ...ancestors]);
      if (child.tagName === "a" && !keepLink(child, baseUrl)) {
        kept.push(...child.children);
        continue;
      }
      if (child.tagName === "img" && !keepImage(child, baseUrl)) continue;
      // The lecture page's title is its only h1: an article's own headings move one level down.
      if (shiftHeadings && /^h[1-5]$/.test(child.tagName)) child.tagName = `h${Number(child.tagName[1]) + 1}`;
      kept.push(child);
    }
    parent.children = kept as typeof parent.children;
  };
  visit(tree, []);
}

/**
 * Highlighters mark a code block's language in different places: `<code class="language-x">`,
 * `<pre class="lang-x">`, GitHub's `<div class="highlight highlight-source-x">`, Rouge's
 * `<div class="language-x highlighter-rouge">`, or `data-lang`. Whatever was used, the block
 * ends up as `<pre><code class="language-x">`, which becomes a fenced block with that language.
 */
function markCodeLanguage(pre: Element, ancestors: Element[]) {
  const code = pre.children.find((child): child is Element => child.type === "element" && child.tagName === "code");
  const language = [code, pre, ...ancestors.slice(0, 3)]
    .map((element) => (element ? languageOf(element) : undefined))
    .find(Boolean);
  const target: Element = code ?? { type: "element", tagName: "code", properties: {}, children: pre.children };
  target.properties = language ? { className: [`language-${language}`] } : {};
  // Highlighted markup inside the block is flattened to its text.
  target.children = [{ type: "text", value: toText(target, { whitespace: "pre" }) }];
  pre.properties = {};
  pre.children = [target];
}

function languageOf(element: Element): string | undefined {
  const dataLang = element.properties.dataLang ?? element.properties.dataLanguage;
  const candidates = [
    ...(typeof dataLang === "string" ? [dataLang] : []),
    ...classList(element).flatMap((name) =>
      LANGUAGE_CLASS.map((pattern) => pattern.exec(name)?.[1]).filter((match) => match !== undefined),
    ),
  ];
  return candidates.map((name) => name.trim().toLowerCase()).find((name) => LANGUAGE_NAME.test(name));
}

function classList(element: Element): string[] {
  const value = element.properties.className;
  return Array.isArray(value) ? value.map(String) : String(value ?? "").split(/\s+/);
}

function keepLink(link: Element, baseUrl: string | null): boolean {
  const href = typeof link.properties.href === "string" ? safeUrl(link.properties.href, baseUrl, true) : null;
  link.properties = href ? { href } : {};
  return href !== null;
}

function keepImage(image: Element, baseUrl: string | null): boolean {
  const src = typeof image.properties.src === "string" ? safeUrl(image.properties.src, baseUrl, false) : null;
  const alt = typeof image.properties.alt === "string" ? image.properties.alt : "";
  image.properties = src ? { src, alt } : {};
  return src !== null;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * The address if it may stay a link: http(s), mailto (links only) or relative. Browsers
 * ignore whitespace and control characters inside a scheme ("java\tscript:"), so the scheme
 * is read with them removed.
 */
export function safeUrl(raw: string, baseUrl: string | null, allowMailto: boolean): string | null {
  const value = raw.trim();
  const scheme = SCHEME.exec(value.replace(/[\p{Cc} ]/gu, ""))?.[1]?.toLowerCase();
  const allowed = scheme === "http" || scheme === "https" || (allowMailto && scheme === "mailto");
  if (scheme !== undefined && !allowed) return null;
  if (!value || value.startsWith("#")) return value || null;
  if (scheme === undefined && !baseUrl) return value;
  try {
    const url = new URL(value, baseUrl ?? undefined);
    return ["http:", "https:", ...(allowMailto ? ["mailto:"] : [])].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function findFirst(tree: Root | Element, tagName: string): Element | null {
  for (const child of tree.children) {
    if (child.type !== "element") continue;
    if (child.tagName === tagName) return child;
    const found = findFirst(child, tagName);
    if (found) return found;
  }
  return null;
}
