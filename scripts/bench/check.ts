// npm run bench:check: builds, measures the Worker bundle and every page's JavaScript, CSS
// and Lighthouse scores (offline, Debian's Chromium), writes bench/budgets.json and
// bench/BUDGETS.md, and exits 1 when any budget below is exceeded.
//   npm run bench:check -- [--skip-build] [--runs 3]
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEMO_USERS } from "../../db/seed/user-statements.ts";
import { measureFrontend, type FrontendReport, type RouteName } from "./frontend.ts";
import { CATEGORIES, type Category } from "./lighthouse.ts";
import { prepareState, startServer } from "../local-server.ts";
import { measureWorkerBundle } from "./worker-bundle.ts";

const KB = 1024;
/** The performance budget (issue targets); a page missing from a map has no budget there. */
const BUDGETS = {
  workerGzipBytes: 1024 * KB,
  jsGzipBytes: { landing: 110 * KB, curriculum: 110 * KB, module: 110 * KB, lecture: 110 * KB, dashboard: 120 * KB },
  cssGzipBytes: { landing: 15 * KB, curriculum: 15 * KB, module: 15 * KB, lecture: 15 * KB, dashboard: 15 * KB },
  lighthouse: {
    landing: { performance: 95, accessibility: 100, "best-practices": 95, seo: 95 },
    lecture: { performance: 95, accessibility: 100, "best-practices": 95, seo: 95 },
    curriculum: { performance: 90, accessibility: 100, "best-practices": 95, seo: 95 },
    // Signed-in pages are noindex on purpose, so SEO has no budget there.
    dashboard: { performance: 90, accessibility: 100, "best-practices": 95 },
  } as Partial<Record<RouteName, Partial<Record<Category, number>>>>,
} as const;

type Verdict = { budget: string; limit: string; measured: string; ok: boolean };

const ROOT = path.resolve(import.meta.dirname, "../..");
const STATE = path.join(ROOT, "bench", ".state");
const { values } = parseArgs({
  options: { "skip-build": { type: "boolean", default: false }, runs: { type: "string", default: "3" } },
});
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

if (!values["skip-build"]) {
  console.log("Building…");
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}
console.log("Measuring the Worker bundle…");
const bundle = await measureWorkerBundle();

await prepareState(STATE);
const server = await startServer(STATE, { production: true });
const student = DEMO_USERS.find((user) => user.email === "student@devops.school")!;
// Lighthouse's simulated throttling moves a score by a few points between runs: like
// Lighthouse CI, each score is the median of several runs (only when the first one misses).
const reports: FrontendReport[] = [];
try {
  for (let run = 0; run < Number(values.runs); run++) {
    console.log(`Measuring pages (run ${run + 1})…`);
    reports.push(
      await measureFrontend({
        baseURL: server.baseURL,
        studentEmail: student.email,
        studentPassword: student.password,
        lectureUrl: "/modules/kubernetes/kubernetes-architecture",
        moduleUrl: "/modules/kubernetes",
      }),
    );
    if (run === 0 && lighthouseVerdicts(reports).every((verdict) => verdict.ok)) break;
  }
} finally {
  await server.stop();
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

function lighthouseVerdicts(runs: FrontendReport[]): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const [route, limits] of Object.entries(BUDGETS.lighthouse)) {
    for (const category of CATEGORIES) {
      const limit = limits[category];
      if (limit === undefined) continue;
      const scores = runs
        .map((run) => run.routes.find((entry) => entry.route === route)?.lighthouse?.scores[category])
        .filter((score): score is number => typeof score === "number");
      const score = scores.length > 0 ? median(scores) : null;
      verdicts.push({
        budget: `Lighthouse ${category}, ${route}`,
        limit: `≥ ${limit}`,
        measured:
          score === null ? "not measured" : `${score}${scores.length > 1 ? ` (median of ${scores.join(", ")})` : ""}`,
        ok: score !== null && score >= limit,
      });
    }
  }
  return verdicts;
}

const weights = reports[0]!.routes;
const verdicts: Verdict[] = [
  {
    budget: "Worker bundle, gzipped",
    limit: `≤ ${kb(BUDGETS.workerGzipBytes)}`,
    measured: kb(bundle.gzipBytes),
    ok: bundle.gzipBytes <= BUDGETS.workerGzipBytes,
  },
  ...weights.flatMap((route) => [
    {
      budget: `JavaScript, ${route.route}, gzipped`,
      limit: `≤ ${kb(BUDGETS.jsGzipBytes[route.route])}`,
      measured: `${kb(route.js.gzipBytes)} in ${route.js.files} files`,
      ok: route.js.gzipBytes <= BUDGETS.jsGzipBytes[route.route],
    },
    {
      budget: `CSS, ${route.route}, gzipped`,
      limit: `≤ ${kb(BUDGETS.cssGzipBytes[route.route])}`,
      measured: kb(route.css.gzipBytes),
      ok: route.css.gzipBytes <= BUDGETS.cssGzipBytes[route.route],
    },
  ]),
  ...lighthouseVerdicts(reports),
];

const failed = verdicts.filter((verdict) => !verdict.ok);
const rows = verdicts.map((v) => `| ${v.budget} | ${v.limit} | ${v.measured} | ${v.ok ? "yes" : "**no**"} |`);
const markdown = `# Front-end and bundle budgets

${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · \`npm run bench:check\` · Lighthouse ${reports[0]!.lighthousePreset}, offline, Debian Chromium

| Budget | Limit | Measured | Within |
|---|---:|---:|---:|
${rows.join("\n")}

Largest parts of the Worker bundle (minified bytes): ${bundle.topPackages
  .slice(0, 8)
  .map((entry) => `${entry.name} ${kb(entry.bytes)}`)
  .join(", ")}.
`;
await mkdir(path.join(ROOT, "bench"), { recursive: true });
await writeFile(
  path.join(ROOT, "bench", "budgets.json"),
  `${JSON.stringify({ bundle, runs: reports, verdicts }, null, 2)}\n`,
);
await writeFile(path.join(ROOT, "bench", "BUDGETS.md"), markdown);
for (const verdict of verdicts) {
  console.log(`${verdict.ok ? "ok  " : "FAIL"}  ${verdict.budget.padEnd(40)} ${verdict.measured} (${verdict.limit})`);
}
console.log(failed.length === 0 ? "Every budget holds." : `${failed.length} budget(s) exceeded.`);
process.exitCode = failed.length === 0 ? 0 : 1;
