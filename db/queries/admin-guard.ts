import type { CurrentUser } from "../../worker/auth/context.ts";

/**
 * Every admin query calls this first: whatever route reaches it, it refuses to run for
 * anyone but an admin (the route's own guard answers 404 before it gets here).
 */
export function assertAdmin(actor: CurrentUser): void {
  if (actor.role !== "admin") throw new Error(`User ${actor.id} is not an admin`);
}
