import type { RequestServices } from "./services/request-services.ts";

/** Hono's environment for every route: Cloudflare bindings plus per-request services. */
export type AppEnv = {
  Bindings: Env;
  Variables: { services: RequestServices };
};
