// bench/REPORT.md from a run's results: the tables, and each target with its verdict.
import type { RouteResult } from "./http.ts";
import type { LiveResult } from "./live.ts";
import type { WriteCheck } from "./verify-writes.ts";

export type BenchResults = {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  options: { durationSeconds: number; connections: number; warmupSeconds: number; liveClients: number[] };
  dataset: { lectures: number; students: number; progressRows: number; notes: number; posts: number };
  http: RouteResult[];
  live: LiveResult[];
  writes: WriteCheck;
  seconds: number;
};

export type TargetVerdict = { target: string; measured: string; met: boolean; gap?: string };

const P99_TARGET_MS = 150;
const RATIO_TARGETS: Record<string, number> = {
  "lecture-anonymous": 0.5,
  "lecture-signed-in": 0.35,
  dashboard: 0.35,
};

const percent = (ratio: number | null) => (ratio === null ? "–" : `${Math.round(ratio * 100)} %`);

/** Every HTTP and live target of the performance budget, measured against this run. */
export function httpTargets(results: BenchResults): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  for (const [name, target] of Object.entries(RATIO_TARGETS)) {
    const route = results.http.find((result) => result.name === name);
    if (!route) continue;
    const ratio = route.ratioToStatic ?? 0;
    verdicts.push({
      target: `${route.label} ≥ ${percent(target)} of the static asset's throughput`,
      measured: `${percent(ratio)} (${route.requestsPerSecond} req/s)`,
      met: ratio >= target,
      gap: ratio >= target ? undefined : `${Math.round((target - ratio) * 100)} points short`,
    });
  }
  for (const route of results.http) {
    verdicts.push({
      target: `${route.label}: p99 < ${P99_TARGET_MS} ms at ${results.options.connections} connections`,
      measured: `${route.p99Ms} ms`,
      met: route.p99Ms < P99_TARGET_MS,
      gap: route.p99Ms < P99_TARGET_MS ? undefined : `${route.p99Ms - P99_TARGET_MS} ms over`,
    });
  }
  const errors = results.http.reduce((sum, route) => sum + route.errors, 0);
  verdicts.push({ target: "0 errors in every load test", measured: String(errors), met: errors === 0 });
  const { progress, posts } = results.writes;
  const lost = progress.lost + posts.lost + posts.duplicated;
  verdicts.push({
    target: "0 lost writes",
    measured: `${progress.lost + posts.lost} lost, ${posts.duplicated} duplicated of ${progress.acknowledged + posts.acknowledged}`,
    met: lost === 0,
  });
  for (const live of results.live) {
    verdicts.push({
      target: `${live.clients} live clients: 0 announcements lost`,
      measured: `${live.lost} lost`,
      met: live.lost === 0,
    });
  }
  return verdicts;
}

/** Why a kind of target is missed here and what would close it, from profiling this setup. */
function explanations(results: BenchResults, verdicts: TargetVerdict[]): string[] {
  const missed = (fragment: string) => verdicts.some((verdict) => !verdict.met && verdict.target.includes(fragment));
  const route = (name: string) => results.http.find((result) => result.name === name);
  const notes: string[] = [];
  if (missed("(signed in) ≥") || missed("Dashboard ≥")) {
    const lecture = route("lecture-signed-in");
    notes.push(
      `**Signed-in pages are rendered for every request.** A signed-in lecture costs a session lookup, ` +
        `${lecture?.d1RoundTrips ?? "several"} D1 round trips (${lecture?.d1Statements ?? "–"} statements), React's ` +
        `server rendering of the page and Remix's serialisation of its loader data for hydration; the static ` +
        `asset never reaches the Worker. A CPU profile of the Worker under this load ` +
        `(wrangler dev's inspector) put about a fifth of the time in React's server renderer, a tenth each in Remix's ` +
        `route matching and in drizzle's query building, and a little under a tenth each in garbage collection and ` +
        `in D1 calls to the local emulation. What would close it: serve signed-in lecture pages from the same cached ` +
        `public page and fill the per-student parts (progress, notes, unread counts) from one small JSON request, ` +
        `which would put them at the anonymous page's throughput.`,
    );
  }
  if (missed("(anonymous) ≥")) {
    notes.push(
      `**Cached pages still run the Worker.** A hit skips rendering and D1 but still passes the request ` +
        `middleware (request id, security headers, CSRF check) and copies the page with a fresh CSP nonce, while ` +
        `the static asset is answered by the assets layer alone. Serving public pages with the nonce moved out of ` +
        `the HTML (hashes of the inline scripts in the policy) would let Cloudflare's CDN answer them before the Worker.`,
    );
  }
  if (missed("p99 <")) {
    notes.push(
      `**p99 follows throughput here.** With ${results.options.connections} connections always busy, a request ` +
        `waits behind the others: latency ≈ ${results.options.connections} ÷ throughput, and the tail adds the ` +
        `moments the ${results.machine.cpus} cores are taken by the load generator, workerd (the Worker and the D1 ` +
        `and Durable Object emulation) and wrangler's dev proxy. A route meets 150 ms at p99 only above roughly ` +
        `250 requests/s on this machine; production spreads the same load over many isolates and machines.`,
    );
  }
  return notes;
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, index) => (index === 0 ? "---" : "---:")).join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

export function renderReport(results: BenchResults): string {
  const { machine, options, dataset } = results;
  const verdicts = httpTargets(results);
  const whyMissed = explanations(results, verdicts);
  return `# Benchmark report

${results.date.slice(0, 16).replace("T", " ")} UTC · ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB · Node ${machine.node} · \`npm run bench\` (${results.seconds} s)

The built Worker under \`wrangler dev\` (workerd, local D1, R2 and Durable Objects) on 127.0.0.1, loaded by
autocannon on the same machine: ${options.connections} connections, ${options.durationSeconds} s per route after a
${options.warmupSeconds} s warm-up. Dataset: ${dataset.lectures} lectures, ${dataset.students.toLocaleString("en")} students,
${dataset.progressRows.toLocaleString("en")} progress rows, ${dataset.notes.toLocaleString("en")} notes,
${dataset.posts.toLocaleString("en")} discussion posts. Signed-in routes rotate through the students' sessions;
every progress write and post is a distinct row.

## HTTP

${table(
  [
    "Route",
    "Request",
    "req/s",
    "vs static",
    "p50 ms",
    "p99 ms",
    "Errors",
    "D1 round trips",
    "D1 statements",
    "Edge cache",
  ],
  results.http.map((route) => [
    route.label,
    `\`${route.method} ${route.path}\``,
    route.requestsPerSecond,
    percent(route.ratioToStatic),
    route.p50Ms,
    route.p99Ms,
    route.errors,
    route.d1RoundTrips ?? "–",
    route.d1Statements ?? "–",
    route.edgeCache ?? "–",
  ]),
)}

D1 columns come from one warm request's \`Server-Timing\` (\`d1-round-trips\`, \`d1-statements\`).

## Live announcements

${table(
  ["Clients", "Connected", "Reached (server)", "Received", "Lost", "p50 ms", "p99 ms", "Max ms", "Connect s"],
  results.live.map((live) => [
    live.clients,
    live.connected,
    live.reached,
    live.received,
    live.lost,
    live.p50Ms,
    live.p99Ms,
    live.maxMs,
    live.connectSeconds,
  ]),
)}

Latency runs from the admin's POST to the message arriving at each socket (it includes storing and rendering the announcement).

## Writes under load

${table(
  ["Write", "Acknowledged", "Lost", "Duplicated", "Stored without acknowledgement"],
  [
    ["Progress (video position)", results.writes.progress.acknowledged, results.writes.progress.lost, 0, "–"],
    [
      "Discussion post",
      results.writes.posts.acknowledged,
      results.writes.posts.lost,
      results.writes.posts.duplicated,
      results.writes.posts.unacknowledged,
    ],
  ],
)}

A write is lost when D1 does not hold what an acknowledged request wrote. "Stored without acknowledgement" counts
requests still in flight when a run's time ran out (at most one per connection per run): the server completed them
after autocannon stopped reading.

## Targets

${table(
  ["Target", "Measured", "Met"],
  verdicts.map((verdict) => [
    verdict.target,
    verdict.measured,
    verdict.met ? "yes" : `**no** (${verdict.gap ?? "missed"})`,
  ]),
)}
${whyMissed.length > 0 ? `\n## Where targets are missed, and why\n\n${whyMissed.map((note) => `- ${note}`).join("\n")}\n` : ""}`;
}
