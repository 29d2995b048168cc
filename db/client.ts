import { drizzle, type AnyD1Database } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

export function createDatabase(d1: AnyD1Database) {
  return drizzle(d1, { schema });
}

export type Database = ReturnType<typeof createDatabase>;

/**
 * Makes a raw `db.run(sql…)` usable inside `db.batch`. drizzle-orm's D1 batch binds raw
 * statements that have parameters through a prepared statement that `db.run` never
 * creates (0.45: "Cannot read properties of undefined (reading 'bind')"); this prepares it.
 */
export function batchable<Query extends ReturnType<Database["run"]>>(db: Database, query: Query): Query {
  if (!("stmt" in query)) Object.assign(query, { stmt: db.$client.prepare(query.getQuery().sql) });
  return query;
}
