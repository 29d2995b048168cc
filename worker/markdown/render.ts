import type { Element, Root } from "hast";
import { toText } from "hast-util-to-text";
import rehypeRaw from "rehype-raw";
import rehypeSanitize from "rehype-sanitize";
import rehypeSlug from "rehype-slug";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { rehypeHighlightCode } from "./highlight.ts";
import { sanitizeSchema } from "./sanitize-schema.ts";

export type TocEntry = { depth: 2 | 3; id: string; text: string };

export type RenderedMarkdown = {
  /** Sanitised HTML, safe to insert as-is. */
  html: string;
  /** Readable plain text (for the search index, excerpts and meta descriptions). */
  text: string;
  /** The h2/h3 outline, with the ids the headings carry in `html`. */
  toc: TocEntry[];
};

// rehype-sanitize prefixes every id with this (DOM-clobbering protection); links to
// headings must point at the prefixed id.
const ID_PREFIX = "user-content-";

/** Adds a "link to this section" anchor to each h2-h4 (after rehype-slug gave it an id). */
function headingAnchors() {
  return (tree: Root) => {
    visit(tree, "element", (node: Element) => {
      if (!/^h[2-4]$/.test(node.tagName) || typeof node.properties.id !== "string") return;
      const label = toText(node).trim();
      node.children.push({
        type: "element",
        tagName: "a",
        properties: {
          href: `#${ID_PREFIX}${node.properties.id}`,
          className: ["heading-anchor"],
          ariaLabel: `Link to section: ${label}`,
        },
        children: [],
      });
    });
  };
}

/**
 * Accessibility the HTML needs and markdown cannot say: code blocks and tables that
 * scroll sideways must be reachable by keyboard, and task-list checkboxes need a label.
 */
function accessibleMarkup() {
  return (tree: Root) => {
    visit(tree, "element", (node: Element) => {
      if (node.tagName === "pre" || node.tagName === "table") node.properties.tabIndex = 0;
      if (node.tagName === "li" && String(node.properties.className ?? "").includes("task-list-item")) {
        const checkbox = node.children.find(
          (child): child is Element => child.type === "element" && child.tagName === "input",
        );
        if (checkbox) {
          const done = checkbox.properties.checked ? "Done" : "To do";
          checkbox.properties.ariaLabel = `${done}: ${toText(node).trim()}`;
        }
      }
    });
  };
}

// Built once per isolate: unified freezes the processor on first use.
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSlug)
  .use(headingAnchors)
  .use(accessibleMarkup)
  .use(rehypeHighlightCode)
  // Must stay the last transform: nothing may touch the tree after it is made safe.
  .use(rehypeSanitize, sanitizeSchema)
  .use(rehypeStringify);

function collectToc(tree: Root): TocEntry[] {
  const toc: TocEntry[] = [];
  visit(tree, "element", (node: Element) => {
    if ((node.tagName === "h2" || node.tagName === "h3") && typeof node.properties.id === "string") {
      toc.push({ depth: node.tagName === "h2" ? 2 : 3, id: node.properties.id, text: toText(node).trim() });
    }
  });
  return toc;
}

/**
 * The one markdown pipeline (lectures, module overviews; later discussions and
 * announcements): GitHub-flavoured markdown, highlighted on the server, sanitised last.
 * Call it when content is written, store the result, never render per request.
 */
export function renderMarkdown(source: string): RenderedMarkdown {
  const tree = processor.runSync(processor.parse(source)) as Root;
  return {
    html: processor.stringify(tree),
    text: toText(tree)
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
    toc: collectToc(tree),
  };
}
