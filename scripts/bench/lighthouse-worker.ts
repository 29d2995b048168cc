// Runs one Lighthouse audit in a worker thread (see auditOnce in lighthouse.ts). Lighthouse leaves
// promises behind that reject once its Chromium is killed on a timeout; terminating this thread
// takes them with it instead of crashing the bench.
import { parentPort, workerData } from "node:worker_threads";
import lighthouse, { type Flags } from "lighthouse";

const { url, flags } = workerData as { url: string; flags: Flags };
const result = await lighthouse(url, flags);
parentPort?.postMessage(result?.lhr ?? null);
