import { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";

const defaults = defaultSchema.attributes ?? {};

/**
 * GitHub's sanitation rules, plus exactly what our own plugins add: highlight.js
 * token classes, heading anchor links, focusable code blocks and labelled task-list
 * checkboxes. Anything else an
 * author (or, later, a student in a discussion) writes is stripped.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  attributes: {
    ...defaults,
    // One className rule per element: the sanitizer reads only the first.
    a: [
      ...(defaults.a ?? []).filter((rule) => !(Array.isArray(rule) && rule[0] === "className")),
      ["className", "data-footnote-backref", "heading-anchor"],
    ],
    code: [["className", "hljs", /^language-./]],
    input: [...(defaults.input ?? []), "ariaLabel"],
    pre: [...(defaults.pre ?? []), ["tabIndex", 0]],
    table: [...(defaults.table ?? []), ["tabIndex", 0]],
    span: [...(defaults.span ?? []), ["className", /^hljs-[\w-]+$/]],
  },
};
