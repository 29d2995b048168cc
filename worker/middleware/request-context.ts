import { createMiddleware } from "hono/factory";
import { createRequestServices } from "../services/request-services.ts";
import type { AppEnv } from "../types.ts";

/**
 * Builds the request's services, then stamps every response with its request id and
 * Server-Timing (D1 time, round trips, statements) and writes one structured log line.
 */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  const services = createRequestServices(c.env, c.req.raw);
  c.set("services", services);

  await next();

  const durationMs = performance.now() - started;
  const { d1, requestId, log, auth } = services;
  c.res.headers.set("x-request-id", requestId);
  for (const cookie of auth.responseCookies) c.res.headers.append("set-cookie", cookie);
  c.res.headers.set("server-timing", [...d1.serverTiming(), `total;dur=${durationMs.toFixed(1)}`].join(", "));
  log.info("request", {
    status: c.res.status,
    durationMs: Math.round(durationMs * 10) / 10,
    d1RoundTrips: d1.roundTrips,
    d1Statements: d1.statements,
    d1DurationMs: Math.round(d1.durationMs * 10) / 10,
  });
});
