import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import {
  clientMessageSchema,
  LIVE_USER_HEADER,
  MAX_CLIENT_MESSAGE_BYTES,
  scheduleSchema,
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
   * applied unless they moved into the future (the cohort's dates were shifted).
   */
  async sync(input: unknown): Promise<ClockState> {
    const parsed = scheduleSchema.safeParse(input);
    // A plain message: a ZodError loses its details on the way back over RPC.
    if (!parsed.success) throw new Error(`Invalid schedule: ${z.prettifyError(parsed.error)}`);
    const schedule = parsed.data;
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      const owner = this.cohortId();
      if (owner !== null && owner !== schedule.cohortId) {
        throw new Error(`This clock belongs to cohort ${owner}, not ${schedule.cohortId}.`);
      }
      sql.exec("insert or replace into meta (name, value) values ('cohort_id', ?)", schedule.cohortId);
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
    });
    await this.arm();
    return this.state();
  }

  /**
   * Applies every due event exactly once. Alarms are delivered at least once: each event is
   * marked applied in the same synchronous block that selects it, before anything is sent,
   * so a retried or repeated alarm finds nothing left to do.
   */
  override async alarm() {
    const due = this.ctx.storage.transactionSync(() => {
      const now = Date.now();
      const rows = this.ctx.storage.sql
        .exec<{ key: string; at: number; kind: string; label: string }>(
          "select key, at, kind, label from events where applied_at is null and at <= ? order by at, key",
          now,
        )
        .toArray();
      for (const row of rows) {
        this.ctx.storage.sql.exec("update events set applied_at = ? where key = ?", now, row.key);
      }
      return rows as ScheduleEvent[];
    });
    for (const event of due) this.send({ type: "schedule", event });
    await this.arm();
  }

  /** Sends a message to every connected member; returns how many sockets it reached. */
  broadcast(message: ServerMessage): number {
    return this.send(message);
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
    const row = this.ctx.storage.sql
      .exec<{ value: number }>("select value from meta where name = 'cohort_id'")
      .toArray()[0];
    return row?.value ?? null;
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

function attachmentOf(ws: WebSocket): SocketAttachment | null {
  return (ws.deserializeAttachment() as SocketAttachment | null) ?? null;
}
