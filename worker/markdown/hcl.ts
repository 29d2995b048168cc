import type { HLJSApi, Language, Mode } from "highlight.js";

/** HashiCorp Configuration Language (Terraform, Packer, Nomad) for highlight.js. */
export function hcl(hljs: HLJSApi): Language {
  const interpolation: Mode = {
    className: "subst",
    begin: /\$\{|%\{/,
    end: /\}/,
    keywords: { literal: ["true", "false", "null"], keyword: ["for", "in", "if", "else", "endif", "endfor"] },
  };
  const string: Mode = {
    className: "string",
    begin: /"/,
    end: /"/,
    contains: [hljs.BACKSLASH_ESCAPE, interpolation],
  };
  const heredoc: Mode = hljs.END_SAME_AS_BEGIN({
    className: "string",
    begin: /<<-?([A-Za-z_]\w*)\b/,
    end: /^\s*([A-Za-z_]\w*)\b/,
    contains: [interpolation],
  });
  interpolation.contains = [string, hljs.C_NUMBER_MODE];

  const blockKeywords = [
    "resource",
    "data",
    "variable",
    "output",
    "locals",
    "module",
    "provider",
    "terraform",
    "backend",
    "required_providers",
    "lifecycle",
    "dynamic",
    "content",
    "moved",
    "import",
    "removed",
    "check",
  ];

  return {
    name: "HCL",
    aliases: ["terraform", "tf", "hcl2"],
    keywords: {
      keyword: [...blockKeywords, "for", "in", "if"],
      literal: ["true", "false", "null"],
      type: ["string", "number", "bool", "list", "map", "set", "object", "tuple", "any"],
    },
    contains: [
      hljs.HASH_COMMENT_MODE,
      hljs.C_LINE_COMMENT_MODE,
      hljs.C_BLOCK_COMMENT_MODE,
      heredoc,
      string,
      hljs.C_NUMBER_MODE,
      { className: "attr", begin: /\b[A-Za-z_][\w-]*(?=\s*=(?!=))/ },
      // Nested blocks (`default_tags {`, `ingress {`); the top-level ones are keywords.
      {
        className: "section",
        begin: new RegExp(`\\b(?!(?:${blockKeywords.join("|")})\\b)[A-Za-z_][\\w-]*(?=\\s*\\{)`),
      },
      { className: "built_in", begin: /\b[a-z_][a-z0-9_]*(?=\()/ },
    ],
  };
}
