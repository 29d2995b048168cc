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

/** One JSON object per line, so Workers Logs can index and query every field. */
export function createLogger(base: Fields): Logger {
  const write = (level: "info" | "warn" | "error", message: string, fields: Fields = {}) => {
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
