// The text form of a front-end report (scripts/bench/frontend.ts): two tables and the audits to look at.
import type { FrontendReport, RouteName } from "./frontend.ts";
import { CATEGORIES, type LighthouseReport } from "./lighthouse.ts";

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const ms = (value: number | null | undefined) => (value == null ? "–" : Math.round(value).toString());

/** Plain-text columns: numeric columns right-aligned, the others left-aligned. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const numeric = header.map((_, i) => rows.every((row) => /^[\d.–]+$/.test(row[i] ?? "")));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

export function formatReport(report: FrontendReport): string {
  const weights = table(
    ["route", "path", "JS files", "JS KB", "JS gz KB", "CSS files", "CSS KB", "CSS gz KB"],
    report.routes.map(({ route, path: routePath, js, css }) => [
      route,
      routePath,
      String(js.files),
      kb(js.rawBytes),
      kb(js.gzipBytes),
      String(css.files),
      kb(css.rawBytes),
      kb(css.gzipBytes),
    ]),
  );
  const audited = report.routes.filter((route) => route.lighthouse || route.lighthouseError);
  const scores = table(
    ["route", "perf", "a11y", "best-pr", "seo", "FCP ms", "LCP ms", "TBT ms", "CLS", "SI ms"],
    audited.map(({ route, lighthouse: lh }) => [
      route,
      ...CATEGORIES.map((category) => String(lh?.scores[category] ?? "–")),
      ms(lh?.metrics.fcpMs),
      ms(lh?.metrics.lcpMs),
      ms(lh?.metrics.tbtMs),
      lh?.metrics.cls == null ? "–" : lh.metrics.cls.toFixed(3),
      ms(lh?.metrics.speedIndexMs),
    ]),
  );
  const notes = audited.flatMap(({ route, lighthouse: lh, lighthouseError }) => {
    if (lighthouseError) return [`${route}: Lighthouse failed: ${lighthouseError}`];
    if (!lh) return [];
    return [
      ...lh.failedAudits.map(
        (audit) => `${route}: ${audit.id} (${audit.score.toFixed(2)}, ${audit.categories.join("/")}): ${audit.title}`,
      ),
      ...(lh.notApplicable.length ? [`${route}: not applicable: ${lh.notApplicable.join(", ")}`] : []),
      ...(lh.runtimeError ? [`${route}: Lighthouse error: ${lh.runtimeError}`] : []),
      ...(lh.attempts > 1 ? [`${route}: measured on attempt ${lh.attempts}`] : []),
      ...erroredLines(route, lh),
      ...lh.warnings.map((warning) => `${route}: warning: ${warning}`),
    ];
  });
  return [
    `Front-end of ${report.baseURL} (${report.measuredAt})`,
    "",
    "JavaScript and CSS on a first visit (gzip level 9 of each body; dashboard signed in as the student)",
    weights,
    "",
    `Lighthouse ${audited.find((route) => route.lighthouse)?.lighthouse?.lighthouseVersion ?? ""}, ${report.lighthousePreset}`,
    scores,
    "",
    "Audits below a full score, audits that could not run, and best-practices/SEO audits that did not apply",
    ...(notes.length ? notes : ["(none)"]),
  ].join("\n");
}

/** One line per error message: a broken trace fails many audits the same way. */
function erroredLines(route: RouteName, lh: LighthouseReport): string[] {
  const byMessage = new Map<string, LighthouseReport["erroredAudits"]>();
  for (const audit of lh.erroredAudits) {
    const message = audit.message.split("\n")[0]!;
    byMessage.set(message, [...(byMessage.get(message) ?? []), audit]);
  }
  return [...byMessage].map(([message, audits]) => {
    const weight = audits.reduce((sum, audit) => sum + audit.weight, 0);
    return `${route}: could not run (total weight ${weight}) ${audits.map((audit) => audit.id).join(", ")}: ${message}`;
  });
}
