import type { Element, ElementContent, Root } from "hast";
import { toText } from "hast-util-to-text";
import { createLowlight } from "lowlight";
import { visit } from "unist-util-visit";
import { languageAliases, languages, plainTextLanguages } from "./languages.ts";

// rehype-highlight does the same job but references lowlight's `common` grammars as its
// default, so the bundler keeps all 37 of them (~100 KB minified) even though we pass our own
// list. This plugin is rehype-highlight 7 with detection off: same markup, same classes.
const lowlight = createLowlight(languages);
lowlight.registerAlias(languageAliases);
const plainText = new Set(plainTextLanguages);

/** The fence's language from `language-x` / `lang-x`; false for an explicit `no-highlight`. */
function languageOf(code: Element): string | false | undefined {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return undefined;
  let name: string | undefined;
  for (const value of classes.map(String)) {
    if (value === "no-highlight" || value === "nohighlight") return false;
    if (!name && value.startsWith("lang-")) name = value.slice(5);
    if (!name && value.startsWith("language-")) name = value.slice(9);
  }
  return name;
}

/** Highlights `<pre><code class="language-x">` on the server with highlight.js token classes. */
export function rehypeHighlightCode() {
  return (tree: Root) => {
    visit(tree, "element", (node: Element, _index, parent) => {
      if (node.tagName !== "code" || parent?.type !== "element" || parent.tagName !== "pre") return;
      const language = languageOf(node);
      if (!language || plainText.has(language)) return;

      const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
      if (!classes.includes("hljs")) classes.unshift("hljs");
      node.properties.className = classes;

      // Unknown languages stay as plain code, like rehype-highlight (which only warns).
      if (!lowlight.registered(language)) return;
      const result = lowlight.highlight(language, toText(node, { whitespace: "pre" }));
      if (result.children.length > 0) node.children = result.children as ElementContent[];
    });
  };
}
