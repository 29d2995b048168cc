export type DiffLine = { kind: "same" | "added" | "removed"; text: string };

/** Past this many cells the comparison table would cost too much memory: show the text instead. */
const MAX_CELLS = 4_000_000;

/**
 * A line-by-line diff (longest common subsequence) from `before` to `after`, or null when
 * the texts are too long to compare cheaply. Unchanged runs stay in, so the caller decides
 * how much context to show.
 */
export function diffLines(before: string, after: string): DiffLine[] | null {
  const a = before.split("\n");
  const b = after.split("\n");
  // Common head and tail cost nothing to match and usually make up most of a lecture.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if ((midA.length + 1) * (midB.length + 1) > MAX_CELLS) return null;

  // lengths[i][j]: length of the common subsequence of midA[i..] and midB[j..].
  const width = midB.length + 1;
  const lengths = new Uint32Array((midA.length + 1) * width);
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        midA[i] === midB[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }

  const lines: DiffLine[] = a.slice(0, start).map((text) => ({ kind: "same", text }));
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      lines.push({ kind: "same", text: midA[i]! });
      i++;
      j++;
    } else if (j < midB.length && (i === midA.length || lengths[i * width + j + 1]! >= lengths[(i + 1) * width + j]!)) {
      lines.push({ kind: "added", text: midB[j]! });
      j++;
    } else {
      lines.push({ kind: "removed", text: midA[i]! });
      i++;
    }
  }
  for (const text of a.slice(endA)) lines.push({ kind: "same", text });
  return lines;
}

export type DiffHunk = { lines: DiffLine[]; skippedBefore: number };

/**
 * Only the changed lines with `context` unchanged lines around them; `skippedBefore` says
 * how many unchanged lines were left out before each hunk.
 */
export function diffHunks(lines: DiffLine[], context = 3): DiffHunk[] {
  const keep = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.kind === "same") return;
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k++) keep[k] = true;
  });
  const hunks: DiffHunk[] = [];
  let skipped = 0;
  let current: DiffHunk | null = null;
  lines.forEach((line, index) => {
    if (!keep[index]) {
      skipped++;
      current = null;
      return;
    }
    if (!current) {
      current = { lines: [], skippedBefore: skipped };
      hunks.push(current);
      skipped = 0;
    }
    current.lines.push(line);
  });
  return hunks;
}
