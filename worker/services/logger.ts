type Fields = Record<string, unknown>;

export type Logger = {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
};

function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    // Libraries wrap the real failure (drizzle wraps D1's message) in `cause`.
    const cause = value.cause === undefined ? undefined : serialize(value.cause);
    return { name: value.name, message: value.message, stack: value.stack, ...(cause ? { cause } : {}) };
  }
  return value;
}

const LEVELS = ["info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

/** LOG_LEVEL as configured; anything unknown (or unset) logs everything. */
export function logLevel(value: string | undefined): Level {
  return LEVELS.find((level) => level === value) ?? "info";
}

/**
 * One JSON object per line, so Workers Logs can index and query every field. Lines below
 * `minimum` are dropped: in production every request is logged, but `wrangler dev` relays
 * each line to its terminal synchronously, which under load costs more than the request.
 */
export function createLogger(base: Fields, minimum: Level = "info"): Logger {
  const threshold = LEVELS.indexOf(minimum);
  const write = (level: Level, message: string, fields: Fields = {}) => {
    if (LEVELS.indexOf(level) < threshold) return;
    const entry: Fields = { level, message, ...base };
    for (const [key, value] of Object.entries(fields)) entry[key] = serialize(value);
    const line = JSON.stringify(entry);
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}
