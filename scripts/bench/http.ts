// HTTP load on the routes students hit most, one route at a time at fixed concurrency.
import autocannon, { type RawRequest } from "autocannon";

export type BenchTarget = {
  staticAsset: string;
  lecturePath: string;
  lectureId: number;
  discussionPath: string;
  publishedLectureIds: number[];
  studentCookies: string[];
};

/** What a write route must be able to prove afterwards: which writes the server acknowledged. */
export type AcknowledgedWrites = {
  progress: Array<{ userIndex: number; lectureId: number; seconds: number }>;
  posts: string[];
};

export type RouteResult = {
  name: string;
  label: string;
  method: string;
  path: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  statuses: Record<string, number>;
  /** D1 round trips and statements of one request, from its Server-Timing header. */
  d1RoundTrips: number | null;
  d1Statements: number | null;
  /** Whether the sampled response came from the edge cache. */
  edgeCache: string | null;
  ratioToStatic: number | null;
};

type Route = {
  name: string;
  label: string;
  method: "GET" | "POST";
  path: string;
  okStatuses: number[];
  /** A request for the n-th call (n counts from 0 across all connections). */
  request(n: number): RawRequest;
  acknowledge?(n: number, status: number): void;
};

export function benchRoutes(target: BenchTarget, runId: string, acknowledged: AcknowledgedWrites): Route[] {
  const students = target.studentCookies.length;
  const cookie = (n: number) => target.studentCookies[n % students]!;
  const get = (name: string, label: string, path: string, signedIn = false): Route => ({
    name,
    label,
    method: "GET",
    path,
    okStatuses: [200],
    request: (n): RawRequest => ({ method: "GET", path, headers: signedIn ? { cookie: cookie(n) } : {} }),
  });
  // Every progress write goes to its own (student, lecture) pair, so each acknowledged write
  // can be looked up afterwards; students post in turn, well inside the per-member limit.
  const progressPair = (n: number) => ({
    userIndex: n % students,
    lectureId: target.publishedLectureIds[Math.floor(n / students) % target.publishedLectureIds.length]!,
    seconds: 40_000 + (n % 40_000),
  });
  const postBody = (n: number) => `Bench post ${runId}-${n}: does \`kubectl rollout status\` wait for readiness?`;
  return [
    get("static", "Static asset", target.staticAsset),
    get("health", "/api/health", "/api/health"),
    get("landing", "Landing page", "/"),
    get("curriculum", "Curriculum", "/modules"),
    get("lecture-anonymous", "Lecture (anonymous)", target.lecturePath),
    get("lecture-signed-in", "Lecture (signed in)", target.lecturePath, true),
    get("dashboard", "Dashboard", "/dashboard", true),
    {
      name: "progress-write",
      label: "Progress write",
      method: "POST",
      path: "/api/progress/:lectureId/position",
      okStatuses: [204],
      request: (n) => {
        const pair = progressPair(n);
        return {
          method: "POST",
          path: `/api/progress/${pair.lectureId}/position`,
          headers: { cookie: cookie(pair.userIndex), "content-type": "application/json" },
          body: JSON.stringify({ seconds: pair.seconds }),
        };
      },
      acknowledge: (n, status) => {
        if (status === 204) acknowledged.progress.push(progressPair(n));
      },
    },
    {
      name: "discussion-post",
      label: "Discussion post",
      method: "POST",
      path: target.discussionPath,
      // A form post without JavaScript: the answer is a redirect back to the new post.
      okStatuses: [302, 303],
      request: (n) => ({
        method: "POST",
        path: target.discussionPath,
        headers: { cookie: cookie(n), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "post", body: postBody(n) }).toString(),
      }),
      acknowledge: (n, status) => {
        if (status === 302 || status === 303) acknowledged.posts.push(postBody(n));
      },
    },
  ];
}

function serverTimingValue(header: string | null, name: string): number | null {
  const match = header?.match(new RegExp(`${name};desc="?(\\d+)`));
  return match ? Number(match[1]) : null;
}

/** One request outside the load, to read its Server-Timing. */
async function sample(baseURL: string, route: Route, n: number) {
  const raw = route.request(n);
  const response = await fetch(new URL(raw.path!, baseURL), {
    method: raw.method,
    headers: raw.headers,
    body: raw.body,
    redirect: "manual",
  });
  await response.arrayBuffer();
  route.acknowledge?.(n, response.status);
  const timing = response.headers.get("server-timing");
  return {
    status: response.status,
    d1RoundTrips: serverTimingValue(timing, "d1-round-trips"),
    d1Statements: serverTimingValue(timing, "d1-statements"),
    edgeCache: response.headers.get("x-edge-cache"),
  };
}

/** Runs every route for `durationSeconds` at `connections`, after a short warm-up each. */
export async function runHttpBench(
  baseURL: string,
  routes: Route[],
  options: { connections: number; durationSeconds: number; warmupSeconds: number },
  onProgress: (message: string) => void,
): Promise<RouteResult[]> {
  const results: RouteResult[] = [];
  // One counter across routes and warm-ups, so every write in the run is distinct.
  let n = 0;
  const load = (route: Route, durationSeconds: number) =>
    autocannon({
      url: baseURL,
      connections: options.connections,
      duration: durationSeconds,
      timeout: 10,
      requests: [
        {
          setupRequest: (request, context) => {
            context.n = n++;
            const next = route.request(context.n as number);
            // autocannon's own headers (Host among them) stay; the route's are added.
            return { ...request, ...next, headers: { ...request.headers, ...next.headers } };
          },
          onResponse: (status, _body, context) => route.acknowledge?.(context.n as number, status),
        },
      ],
    });
  for (const route of routes) {
    onProgress(`  ${route.label.padEnd(22)} warming up`);
    await load(route, options.warmupSeconds);
    // Sampled warm, as the load finds it (for a cached page: from the cache).
    const probe = await sample(baseURL, route, n++);
    if (!route.okStatuses.includes(probe.status)) {
      throw new Error(`${route.label}: ${route.method} ${route.path} answered ${probe.status}`);
    }
    const result = await load(route, options.durationSeconds);
    const statuses = Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, Number(count)]),
    );
    const unexpected = Object.entries(statuses)
      .filter(([status]) => !route.okStatuses.includes(Number(status)))
      .reduce((sum, [, count]) => sum + count, 0);
    results.push({
      name: route.name,
      label: route.label,
      method: route.method,
      path: route.path,
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.total / result.duration),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts + unexpected,
      statuses,
      d1RoundTrips: probe.d1RoundTrips,
      d1Statements: probe.d1Statements,
      edgeCache: probe.edgeCache,
      ratioToStatic: null,
    });
    const last = results.at(-1)!;
    onProgress(
      `  ${route.label.padEnd(22)} ${String(last.requestsPerSecond).padStart(6)} req/s  p50 ${last.p50Ms} ms  p99 ${last.p99Ms} ms  errors ${last.errors}`,
    );
  }
  const staticRate = results.find((result) => result.name === "static")?.requestsPerSecond ?? 0;
  for (const result of results) {
    result.ratioToStatic = staticRate > 0 ? Math.round((result.requestsPerSecond / staticRate) * 1000) / 1000 : null;
  }
  return results;
}
