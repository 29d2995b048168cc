/** What one request cost in D1: network round trips, statements and time spent waiting. */
export class D1Metrics {
  roundTrips = 0;
  statements = 0;
  durationMs = 0;

  record(statements: number, durationMs: number) {
    this.roundTrips += 1;
    this.statements += statements;
    this.durationMs += durationMs;
  }

  /** Server-Timing entries, read by the benchmark and visible in browser dev tools. */
  serverTiming(): string[] {
    return [
      `d1;dur=${this.durationMs.toFixed(1)}`,
      `d1-round-trips;desc="${this.roundTrips}"`,
      `d1-statements;desc="${this.statements}"`,
    ];
  }
}

async function timed<T>(metrics: D1Metrics, statements: number, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    metrics.record(statements, performance.now() - started);
  }
}

const EXECUTORS = new Set(["all", "run", "first", "raw"]);

/**
 * Wraps a D1 binding so every round trip is counted and timed. Statements handed to
 * `batch` are unwrapped first: D1 only accepts its own prepared statement objects.
 */
export function instrumentD1(d1: D1Database, metrics: D1Metrics): D1Database {
  const originals = new WeakMap<object, D1PreparedStatement>();

  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, property) {
        if (property === "bind") {
          return (...values: unknown[]) => wrap(target.bind(...values));
        }
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== "function") return value;
        if (typeof property === "string" && EXECUTORS.has(property)) {
          return (...args: unknown[]) => timed(metrics, 1, () => value.apply(target, args) as Promise<unknown>);
        }
        return value.bind(target);
      },
    });
    originals.set(proxy, statement);
    return proxy;
  };

  return new Proxy(d1, {
    get(target, property) {
      if (property === "prepare") return (query: string) => wrap(target.prepare(query));
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) =>
          timed(metrics, statements.length, () =>
            target.batch(statements.map((statement) => originals.get(statement) ?? statement)),
          );
      }
      if (property === "exec") return (query: string) => timed(metrics, 1, () => target.exec(query));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
