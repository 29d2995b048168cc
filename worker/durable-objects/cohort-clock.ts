import { DurableObject } from "cloudflare:workers";
import * as z from "zod";
import { COHORT_STATUSES, type CohortStatus } from "../../db/schema.ts";
import {
  clientMessageSchema,
  LIVE_USER_HEADER,
  MAX_CLIENT_MESSAGE_BYTES,
  scheduleSchema,
  serverMessageSchema,
  type Schedule,
  type ScheduleEvent,
  type ServerMessage,
} from "../live/protocol.ts";

/** What each hibernating socket remembers about itself (survives eviction; 16 KiB max). */
type SocketAttachment = { userId: string; connectedAt: number };

type EventRow = ScheduleEvent & { appliedAt: number | null };

export type ClockState = {
  cohortId: number | null;
  events: EventRow[];
  /** Epoch ms of the armed alarm, or null. */
  alarmAt: number | null;
  sockets: { userId: string }[];
};

const PONG = JSON.stringify({ type: "pong" } satisfies ServerMessage);

/**
 * The live state of one cohort (or of "everyone"): its schedule of module releases and
 * phase changes, an alarm for the next one, and its members' WebSockets. Sockets use the
 * hibernation API, so an idle cohort costs nothing between messages.
 */
export class CohortClock extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(`create table if not exists events (
      key text primary key,
      at integer not null,
      kind text not null,
      label text not null,
      applied_at integer
    )`);
    sql.exec("create table if not exists meta (name text primary key, value integer not null)");
    // Answered by the runtime without waking a hibernating object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(JSON.stringify({ type: "ping" }), PONG));
  }

  /**
   * Replaces the schedule with the one the Worker computed. Events that were applied stay
   * applied unless they moved into the future (the cohort's dates were shifted); if a phase
   * change moved back into the future, the cohort's status in D1 is set back too.
   */
  async sync(input: unknown): Promise<ClockState> {
    const schedule = parseSchedule(input);
    const hash = await scheduleHash(schedule);
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    const phaseReopened = this.ctx.storage.transactionSync(() => {
      const owner = this.cohortId();
      if (owner !== null && owner !== schedule.cohortId) {
        throw new Error(`This clock belongs to cohort ${owner}, not ${schedule.cohortId}.`);
      }
      sql.exec("insert or replace into meta (name, value) values ('cohort_id', ?)", schedule.cohortId);
      sql.exec("insert or replace into meta (name, value) values ('schedule_hash', ?)", hash);
      const appliedBefore = new Set(
        sql
          .exec<{ key: string }>("select key from events where kind = 'phase' and applied_at is not null")
          .toArray()
          .map((row) => row.key),
      );
      const incoming = new Set(schedule.events.map((event) => event.key));
      for (const { key } of sql.exec<{ key: string }>("select key from events").toArray()) {
        if (!incoming.has(key)) sql.exec("delete from events where key = ?", key);
      }
      for (const event of schedule.events) {
        sql.exec(
          `insert into events (key, at, kind, label) values (?, ?, ?, ?)
           on conflict (key) do update set
             applied_at = case when excluded.at != events.at and excluded.at > ? then null else events.applied_at end,
             at = excluded.at, kind = excluded.kind, label = excluded.label`,
          event.key,
          event.at,
          event.kind,
          event.label,
          now,
        );
      }
      const stillApplied = sql
        .exec<{ key: string }>("select key from events where kind = 'phase' and applied_at is not null")
        .toArray()
        .map((row) => row.key);
      return stillApplied.length < appliedBefore.size;
    });
    if (phaseReopened) await this.setStatus(schedule.cohortId, this.currentPhase());
    await this.arm();
    return this.state();
  }

  /**
   * The cheap sync for a member's connection: only writes when the clock has never been
   * synced or holds a different schedule. Returns whether it synced.
   */
  async syncIfChanged(input: unknown): Promise<boolean> {
    const schedule = parseSchedule(input);
    if (this.meta("schedule_hash") === (await scheduleHash(schedule))) return false;
    await this.sync(schedule);
    return true;
  }

  /**
   * Applies every due event exactly once, in time order. Alarms are delivered at least
   * once: a phase change first sets the cohort's status in D1 (an idempotent UPDATE, safe to
   * repeat if this run dies before the next step), then the event is marked applied, and
   * only then broadcast, so a retried or repeated alarm finds nothing left to do. If D1
   * fails, the error fails the alarm and the runtime retries it.
   */
  override async alarm() {
    const sql = this.ctx.storage.sql;
    const due = sql
      .exec<{ key: string; at: number; kind: "release" | "phase"; label: string }>(
        "select key, at, kind, label from events where applied_at is null and at <= ? order by at, key",
        Date.now(),
      )
      .toArray();
    const cohortId = this.cohortId();
    for (const event of due) {
      if (event.kind === "phase" && cohortId !== null) {
        const status = phaseStatus(event.key);
        if (status) await this.setStatus(cohortId, status);
      }
      // Only if it is still the same pending event: a sync may have moved it meanwhile.
      const marked = sql.exec(
        "update events set applied_at = ? where key = ? and at = ? and applied_at is null",
        Date.now(),
        event.key,
        event.at,
      ).rowsWritten;
      if (marked > 0) this.send({ type: "schedule", event });
    }
    await this.arm();
  }

  /** Sends a message to every connected member; returns how many sockets it reached. */
  broadcast(message: ServerMessage): number {
    const parsed = serverMessageSchema.safeParse(message);
    if (!parsed.success) throw new Error("Refusing to broadcast a message that is not part of the live protocol.");
    return this.send(parsed.data);
  }

  /** The clock as stored: schedule, armed alarm and who is connected. */
  async state(): Promise<ClockState> {
    const events = this.ctx.storage.sql
      .exec<{ key: string; at: number; kind: "release" | "phase"; label: string; applied_at: number | null }>(
        "select key, at, kind, label, applied_at from events order by at, key",
      )
      .toArray()
      .map(({ applied_at, ...event }) => ({ ...event, appliedAt: applied_at }));
    return {
      cohortId: this.cohortId(),
      events,
      alarmAt: await this.ctx.storage.getAlarm(),
      sockets: this.ctx.getWebSockets().map((ws) => ({ userId: attachmentOf(ws)?.userId ?? "" })),
    };
  }

  /** Accepts a WebSocket the Worker has already authorized (it names the user in a header). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade.", { status: 426 });
    }
    const userId = request.headers.get(LIVE_USER_HEADER);
    if (!userId) return new Response("Forbidden.", { status: 403 });

    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ userId, connectedAt: Date.now() } satisfies SocketAttachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer) {
    const reply = (message: ServerMessage) => ws.send(JSON.stringify(message));
    if (typeof raw !== "string") return reply({ type: "error", message: "Send JSON text messages." });
    if (raw.length > MAX_CLIENT_MESSAGE_BYTES) return reply({ type: "error", message: "Message too large." });

    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return reply({ type: "error", message: "Messages must be JSON." });
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) return reply({ type: "error", message: "Unknown message: send hello or ping." });
    if (parsed.data.type === "ping") reply({ type: "pong" });
    // "hello" needs no answer: the client catches up from D1 through the API.
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string) {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed by the runtime's automatic close reply.
    }
  }

  private send(message: ServerMessage): number {
    const data = JSON.stringify(message);
    let reached = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(data);
        reached++;
      } catch {
        // A socket that is closing; the runtime removes it.
      }
    }
    return reached;
  }

  private cohortId(): number | null {
    return this.meta("cohort_id");
  }

  private meta(name: string): number | null {
    const row = this.ctx.storage.sql
      .exec<{ value: number }>("select value from meta where name = ?", name)
      .toArray()[0];
    return row?.value ?? null;
  }

  /** The phase of the latest phase change already applied; a cohort none has reached is upcoming. */
  private currentPhase(): CohortStatus {
    const row = this.ctx.storage.sql
      .exec<{ key: string }>(
        "select key from events where kind = 'phase' and applied_at is not null order by at desc, key desc limit 1",
      )
      .toArray()[0];
    return (row && phaseStatus(row.key)) ?? "upcoming";
  }

  /** Idempotent: setting the status it already has writes nothing. */
  private async setStatus(cohortId: number, status: CohortStatus) {
    await this.env.DB.prepare("update cohorts set status = ?, updated_at = unixepoch() where id = ? and status != ?")
      .bind(status, cohortId, status)
      .run();
  }

  /** Sets the alarm for the earliest pending event, or clears it when none is left. */
  private async arm() {
    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>("select min(at) as at from events where applied_at is null")
      .one().at;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }
}

function parseSchedule(input: unknown): Schedule {
  const parsed = scheduleSchema.safeParse(input);
  // A plain message: a ZodError loses its details on the way back over RPC.
  if (!parsed.success) throw new Error(`Invalid schedule: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** "phase:running" → "running"; null for a key that names no status. */
function phaseStatus(key: string): CohortStatus | null {
  const parsed = z.enum(COHORT_STATUSES).safeParse(key.slice("phase:".length));
  return key.startsWith("phase:") && parsed.success ? parsed.data : null;
}

/** A fingerprint of a schedule: the first 48 bits of its SHA-256, an exact integer in SQLite and JS. */
async function scheduleHash(schedule: Schedule): Promise<number> {
  const bytes = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(schedule))),
  );
  return bytes.slice(0, 6).reduce((value, byte) => value * 256 + byte, 0);
}

function attachmentOf(ws: WebSocket): SocketAttachment | null {
  return (ws.deserializeAttachment() as SocketAttachment | null) ?? null;
}
