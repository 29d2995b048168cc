export const collapseSpaces = (text: string) => text.replace(/\s+/g, " ").trim();

/** At most `max` characters, cut at a word with an ellipsis. */
export function shorten(text: string, max: number): string {
  const clean = collapseSpaces(text);
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, "")}…`;
}
