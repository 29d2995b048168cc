// Live delivery: N members of one cohort hold /api/live open, an admin posts one
// announcement, and every socket's arrival time is measured from the moment it was sent.
export type LiveResult = {
  clients: number;
  connected: number;
  /** Sockets the server said it reached (from the admin's redirect). */
  reached: number;
  received: number;
  lost: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  connectSeconds: number;
};

const CONNECT_BATCH = 50;
const DELIVERY_TIMEOUT_MS = 10_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function open(baseURL: string, cookie: string): Promise<WebSocket> {
  const url = `${baseURL.replace(/^http/, "ws")}/api/live`;
  return new Promise((resolve, reject) => {
    // Node's WebSocket (undici) takes headers, as a browser sends its cookies and Origin.
    const ws = new WebSocket(url, { headers: { cookie, origin: baseURL } } as unknown as string[]);
    const timer = setTimeout(() => reject(new Error("WebSocket did not open within 15 s")), 15_000);
    ws.addEventListener("open", () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.addEventListener("error", () => {
      clearTimeout(timer);
      reject(new Error("WebSocket failed to open"));
    });
  });
}

export async function runLiveBench(
  baseURL: string,
  options: { clients: number; cohortId: number; studentCookies: string[]; adminCookie: string },
): Promise<LiveResult> {
  const connectStarted = performance.now();
  const sockets: WebSocket[] = [];
  try {
    for (let i = 0; i < options.clients; i += CONNECT_BATCH) {
      const batch = options.studentCookies.slice(i, Math.min(i + CONNECT_BATCH, options.clients));
      sockets.push(...(await Promise.all(batch.map((cookie) => open(baseURL, cookie)))));
    }
    const connectSeconds = (performance.now() - connectStarted) / 1000;

    const title = `Bench announcement ${Date.now().toString(36)}`;
    const latencies: number[] = [];
    let sentAt = 0;
    const delivered = Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, DELIVERY_TIMEOUT_MS);
            ws.addEventListener("message", (event) => {
              const message = JSON.parse(String(event.data)) as { type: string; title?: string };
              if (message.type === "announcement" && message.title === title) {
                latencies.push(performance.now() - sentAt);
                clearTimeout(timer);
                resolve();
              }
            });
          }),
      ),
    );
    sentAt = performance.now();
    const response = await fetch(`${baseURL}/admin/announcements`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: options.adminCookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        title,
        body: "Office hours move to **Thursday 18:00**. Bring your Terraform plans.",
        audience: String(options.cohortId),
      }),
    });
    const location = response.headers.get("location") ?? "";
    if (response.status !== 302 && response.status !== 303) {
      throw new Error(`Posting the announcement answered ${response.status}`);
    }
    await delivered;
    latencies.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      clients: options.clients,
      connected: sockets.length,
      reached: Number(new URL(location, baseURL).searchParams.get("reached") ?? 0),
      received: latencies.length,
      lost: options.clients - latencies.length,
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies.at(-1) ?? 0),
      connectSeconds: round(connectSeconds),
    };
  } finally {
    for (const ws of sockets) ws.close(1000, "bench done");
  }
}
