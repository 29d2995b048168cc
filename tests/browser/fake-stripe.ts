import { createServer, type IncomingMessage, type Server } from "node:http";

// A stand-in for Stripe's API on loopback: the Worker under `wrangler dev` talks to it
// (STRIPE_API_BASE), it answers like Stripe, keeps every request for the tests to assert,
// and serves a page where Stripe's hosted checkout would be.

export const STRIPE_TEST_KEYS = { secretKey: "sk_test_browser_journeys", webhookSecret: "whsec_browser_journeys" };

export type RecordedStripeRequest = { method: string; path: string; form: Record<string, string> };

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

export function startFakeStripe(port: number): Promise<Server> {
  const recorded: RecordedStripeRequest[] = [];
  let sessions = 0;
  const base = `http://127.0.0.1:${port}`;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", base);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "GET" && url.pathname === "/__requests") return json(200, recorded);
    if (request.method === "GET" && url.pathname.startsWith("/pay/")) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return response.end(
        `<!doctype html><html lang="en"><title>Stripe Checkout (test)</title><h1>Pay with Stripe</h1><p>${url.pathname.slice(5)}</p></html>`,
      );
    }
    if (!url.pathname.startsWith("/v1/")) return json(404, { error: { message: "Not an API path" } });
    const form = Object.fromEntries(new URLSearchParams(await readBody(request)));
    recorded.push({ method: request.method ?? "GET", path: url.pathname, form });
    if (request.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      sessions += 1;
      const id = `cs_test_browser_${sessions}`;
      return json(200, {
        id,
        object: "checkout.session",
        mode: form.mode,
        status: "open",
        payment_status: "unpaid",
        client_reference_id: form.client_reference_id,
        url: `${base}/pay/${id}`,
      });
    }
    const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(url.pathname);
    if (request.method === "POST" && expire) {
      return json(200, { id: expire[1], object: "checkout.session", status: "expired" });
    }
    if (request.method === "POST" && url.pathname === "/v1/billing_portal/sessions") {
      return json(200, { id: "bps_test_browser", object: "billing_portal.session", url: `${base}/portal` });
    }
    return json(404, {
      error: { type: "invalid_request_error", message: `No fake for ${request.method} ${url.pathname}` },
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
