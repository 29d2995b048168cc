import { createDatabase, type Database } from "../../db/client.ts";
import { createAuthContext, type AuthContext } from "../auth/context.ts";
import { D1Metrics, instrumentD1 } from "./d1-metrics.ts";
import { createLogger, logLevel, type Logger } from "./logger.ts";

/** Everything a request needs, built once per request and shared by Hono and Remix. */
export type RequestServices = {
  requestId: string;
  /** CSP nonce for this response's inline scripts. */
  nonce: string;
  env: Env;
  db: Database;
  d1: D1Metrics;
  log: Logger;
  auth: AuthContext;
};

function randomToken(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...buffer)).replace(/[+/=]/g, "");
}

const REQUEST_ID = /^[\w-]{8,64}$/;

export function createRequestServices(env: Env, request: Request): RequestServices {
  // Keep an upstream id (Cloudflare's cf-ray, a load balancer's) so logs join up.
  const incoming = request.headers.get("x-request-id") ?? request.headers.get("cf-ray");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const d1 = new D1Metrics();
  const url = new URL(request.url);
  const log = createLogger({ requestId, method: request.method, path: url.pathname }, logLevel(env.LOG_LEVEL));
  // Built on first use: a page answered from the edge cache never needs it, and building
  // drizzle's relational schema is the largest part of such a request.
  let database: Database | undefined;
  const db = () => (database ??= createDatabase(instrumentD1(env.DB, d1)));
  return {
    requestId,
    nonce: randomToken(16),
    env,
    get db() {
      return db();
    },
    d1,
    log,
    auth: createAuthContext({ env, database: db, log, request }),
  };
}
