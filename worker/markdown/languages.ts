import bash from "highlight.js/lib/languages/bash";
import diff from "highlight.js/lib/languages/diff";
import dockerfile from "highlight.js/lib/languages/dockerfile";
import go from "highlight.js/lib/languages/go";
import ini from "highlight.js/lib/languages/ini";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import makefile from "highlight.js/lib/languages/makefile";
import nginx from "highlight.js/lib/languages/nginx";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import yaml from "highlight.js/lib/languages/yaml";
import { hcl } from "./hcl.ts";

/** The languages a DevOps curriculum needs; unknown fences render as plain code. */
export const languages = {
  bash,
  diff,
  dockerfile,
  go,
  hcl,
  ini,
  javascript,
  json,
  makefile,
  nginx,
  python,
  sql,
  typescript,
  yaml,
};

export const languageAliases: Record<string, string[]> = {
  bash: ["sh", "shell", "zsh", "console"],
  dockerfile: ["docker", "containerfile"],
  hcl: ["terraform", "tf"],
  ini: ["toml", "systemd", "conf"],
  javascript: ["js", "mjs", "cjs"],
  json: ["jsonc"],
  python: ["py"],
  typescript: ["ts", "tsx"],
  yaml: ["yml"],
};

/** Fences in these languages are shown verbatim, without highlighting. */
export const plainTextLanguages = ["text", "txt", "plaintext", "output", "promql"];
