import { Hono } from "hono";
import { api } from "./api/index.ts";
import { ApiError, errorResponse } from "./api/errors.ts";
import { publicPageCache } from "./middleware/public-page-cache.ts";
import { requestContext } from "./middleware/request-context.ts";
import { sameOriginOnly } from "./middleware/same-origin.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { media } from "./media.ts";
import { renderPage } from "./remix.ts";
import type { AppEnv } from "./types.ts";

export const app = new Hono<AppEnv>()
  .use(requestContext)
  .use(securityHeaders)
  .use(sameOriginOnly)
  .route("/api", api)
  .route("/media", media)
  .use(publicPageCache)
  .all("*", renderPage);

// The one place errors become responses; 5xx never carry internals.
app.onError((error, c) => {
  const services = c.get("services");
  const requestId = services?.requestId ?? "unknown";
  if (!(error instanceof ApiError)) {
    (services?.log ?? console).error("unhandled error", { error });
  }
  return errorResponse(error, requestId);
});
