import type { CurrentUser } from "../auth/context.ts";

// An import is previewed, then applied in a second request. The source is kept in R2 in
// between under a key the server makes up, so the second step reads exactly the bytes that
// were previewed without the admin sending them again. Only the admin who started an
// import can apply it; it is deleted once applied, and leftovers are swept after a day.

const PREFIX = "imports/";
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type StagedImport = {
  kind: "feed" | "zip";
  name: string;
  moduleSlug: string | null;
  bytes: Uint8Array;
};

export async function stageImport(bucket: R2Bucket, actor: CurrentUser, source: StagedImport): Promise<string> {
  const id = crypto.randomUUID();
  await bucket.put(`${PREFIX}${id}`, source.bytes, {
    httpMetadata: { contentType: "application/octet-stream" },
    customMetadata: {
      adminId: actor.id,
      kind: source.kind,
      // Metadata travels as headers: the name is kept percent-encoded.
      name: encodeURIComponent(source.name.slice(0, 200)),
      module: source.moduleSlug ?? "",
    },
  });
  return id;
}

/** The staged source, if `id` names one that this admin started; null otherwise. */
export async function loadStagedImport(bucket: R2Bucket, actor: CurrentUser, id: string): Promise<StagedImport | null> {
  if (!ID.test(id)) return null;
  const object = await bucket.get(`${PREFIX}${id}`);
  if (!object) return null;
  const meta = object.customMetadata ?? {};
  if (meta.adminId !== actor.id || (meta.kind !== "feed" && meta.kind !== "zip")) {
    await object.body.cancel();
    return null;
  }
  return {
    kind: meta.kind,
    name: decodeURIComponent(meta.name ?? ""),
    moduleSlug: meta.module || null,
    bytes: new Uint8Array(await object.arrayBuffer()),
  };
}

export async function discardStagedImport(bucket: R2Bucket, id: string): Promise<void> {
  if (ID.test(id)) await bucket.delete(`${PREFIX}${id}`);
}

/** Previews that were never applied. */
export async function sweepStaleImports(bucket: R2Bucket, now = Date.now()): Promise<void> {
  const listed = await bucket.list({ prefix: PREFIX, limit: 1000 });
  const stale = listed.objects.filter((object) => now - object.uploaded.getTime() > STALE_AFTER_MS);
  if (stale.length > 0) await bucket.delete(stale.map((object) => object.key));
}
