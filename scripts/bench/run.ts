// npm run bench: builds, serves the Worker with `wrangler dev` on loopback over a scale
// dataset, loads every route at fixed concurrency, measures live announcement delivery,
// checks that no acknowledged write was lost, and writes bench/results.json and bench/REPORT.md.
//   npm run bench -- [--duration 10] [--connections 20] [--warmup 2] [--skip-build]
import { execFileSync } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchRoutes, runHttpBench, type AcknowledgedWrites } from "./http.ts";
import { runLiveBench } from "./live.ts";
import { renderReport, type BenchResults } from "./report.ts";
import { buildScaleDataset } from "./scale-data.ts";
import { prepareState, startServer } from "../local-server.ts";
import { verifyWrites } from "./verify-writes.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(ROOT, "bench");
const STATE = path.join(OUT, ".state");

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "20" },
    warmup: { type: "string", default: "2" },
    "live-clients": { type: "string", default: "100,1000" },
    "skip-build": { type: "boolean", default: false },
  },
});
const options = {
  durationSeconds: Number(values.duration),
  connections: Number(values.connections),
  warmupSeconds: Number(values.warmup),
  liveClients: values["live-clients"].split(",").map(Number),
};
const log = (message: string) => console.log(message);
const started = performance.now();

if (!values["skip-build"]) {
  log("Building…");
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}
log("Preparing a fresh local D1 with the seed and the scale dataset…");
await prepareState(STATE);
const dataset = await buildScaleDataset(STATE);
log(
  `  ${dataset.lectures} lectures, ${dataset.students.toLocaleString("en")} students, ` +
    `${dataset.progressRows.toLocaleString("en")} progress rows, ${dataset.notes.toLocaleString("en")} notes, ` +
    `${dataset.posts.toLocaleString("en")} posts (${dataset.seconds.toFixed(1)} s)`,
);

const runId = Date.now().toString(36);
const acknowledged: AcknowledgedWrites = { progress: [], posts: [] };
// LOG_LEVEL=warn: wrangler dev relays every console line to its terminal synchronously,
// which under load costs more than the request itself (README, "Benchmarks").
const server = await startServer(STATE, { production: true, vars: { LOG_LEVEL: "warn" } });
let results: BenchResults;
try {
  log(
    `Serving on ${server.baseURL}. HTTP load: ${options.connections} connections, ${options.durationSeconds} s per route.`,
  );
  const routes = benchRoutes(
    {
      staticAsset: "/favicon.svg",
      lecturePath: dataset.previewLecture.path,
      lectureId: dataset.previewLecture.id,
      discussionPath: `${dataset.previewLecture.path}/discussion`,
      publishedLectureIds: dataset.publishedLectureIds,
      studentCookies: dataset.studentCookies,
    },
    runId,
    acknowledged,
  );
  const http = await runHttpBench(server.baseURL, routes, options, log);
  log("Live announcements:");
  const live = [];
  for (const clients of options.liveClients) {
    live.push(
      await runLiveBench(server.baseURL, {
        clients,
        cohortId: dataset.cohortId,
        studentCookies: dataset.studentCookies,
        adminCookie: dataset.adminCookie,
      }),
    );
    const last = live.at(-1)!;
    log(`  ${String(clients).padStart(5)} clients  p50 ${last.p50Ms} ms  p99 ${last.p99Ms} ms  lost ${last.lost}`);
  }
  await server.stop();
  // Only D1 is read from here on; without the Durable Objects' state the read-only platform
  // started for the check has no alarms of classes it does not serve.
  await rm(path.join(STATE, "v3", "do"), { recursive: true, force: true });
  log("Checking every acknowledged write…");
  const writes = await verifyWrites(STATE, runId, acknowledged);
  log(
    `  progress: ${writes.progress.acknowledged} acknowledged, ${writes.progress.lost} lost; ` +
      `posts: ${writes.posts.acknowledged} acknowledged, ${writes.posts.lost} lost, ${writes.posts.duplicated} duplicated`,
  );
  results = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    options,
    dataset: {
      lectures: dataset.lectures,
      students: dataset.students,
      progressRows: dataset.progressRows,
      notes: dataset.notes,
      posts: dataset.posts,
    },
    http,
    live,
    writes,
    seconds: Math.round((performance.now() - started) / 1000),
  };
} finally {
  await server.stop();
}

await mkdir(OUT, { recursive: true });
await writeFile(path.join(OUT, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(path.join(OUT, "REPORT.md"), renderReport(results));
log(`Wrote bench/results.json and bench/REPORT.md in ${results.seconds} s.`);
