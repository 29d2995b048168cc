/** Splits `---\nkey: value\n---\nbody` into flat string fields and the body. */
export function splitFrontMatter(source: string): { fields: Record<string, string>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
  if (!match) return { fields: {}, body: source };
  const fields: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    const pair = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line.trim());
    if (pair) fields[pair[1]!] = pair[2]!.trim();
  }
  return { fields, body: source.slice(match[0].length) };
}
