import { sql } from "drizzle-orm";
import type { DbHandle, Transaction } from "~/db/client.server";
import { selectRows } from "~/db/execute.server";
import type { JwtClaims } from "~/db/types";
import { withUserTransaction } from "~/db/with-user-transaction.server";

export interface BucketRow {
  id: string;
  file_size_limit: number | string | null;
  allowed_mime_types: string[] | null;
}

/** What Storage keeps in storage.objects.metadata (its ObjectMetadata). */
export interface ObjectMetadata {
  eTag: string;
  size: number;
  mimetype: string;
  cacheControl: string;
  lastModified: string;
  contentLength: number;
  httpStatusCode: number;
}

/**
 * The bucket's limits, read as Storage reads them (as its own superuser: users have no
 * policy on storage.buckets), or null when there is no such bucket.
 */
export async function findBucket(handle: DbHandle, bucketId: string): Promise<BucketRow | null> {
  const [row] = await handle.query<BucketRow>(`select id, file_size_limit, allowed_mime_types from storage.buckets where id = $1`, [
    bucketId,
  ]);
  return row ?? null;
}

export interface NewObject {
  bucketId: string;
  name: string;
  metadata: ObjectMetadata | null;
  version: string;
  upsert: boolean;
}

/**
 * Records an object as the requester — `null` claims: anonymously — so the policies on
 * storage.objects decide. An upsert also needs the update policy for an existing name.
 */
export async function insertObject(tx: Transaction, claims: JwtClaims | null, object: NewObject): Promise<string> {
  const owner = claims?.sub ?? null;
  const values = sql`(${object.bucketId}, ${object.name}, ${owner}::uuid, ${owner}, ${
    object.metadata ? JSON.stringify(object.metadata) : null
  }::jsonb, ${object.version})`;
  const conflict = object.upsert
    ? sql`on conflict (bucket_id, name) do update set owner = excluded.owner, owner_id = excluded.owner_id,
          metadata = excluded.metadata, version = excluded.version, updated_at = now(), last_accessed_at = now()`
    : sql.empty();
  const [row] = await selectRows<{ id: string }>(
    tx,
    sql`insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version)
        values ${values} ${conflict} returning id`,
  );
  return row.id;
}

const ROLLBACK = Symbol("rollback");

/**
 * Storage's testPermission: the insert tried as the requester and rolled back, so that
 * whoever may not write learns so before sending the file. Throws what the insert threw.
 */
export async function testInsertPermission(db: DbHandle, claims: JwtClaims | null, object: NewObject): Promise<void> {
  try {
    await withUserTransaction(db.db, claims, async (tx) => {
      await insertObject(tx, claims, object);
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
}

/** The object's metadata, if the requester may see the object (the select policies decide). */
export async function findVisibleObject(
  db: DbHandle,
  claims: JwtClaims | null,
  bucketId: string,
  name: string,
): Promise<{ id: string; metadata: ObjectMetadata | null; updated_at: Date | string | null } | null> {
  const [row] = await withUserTransaction(db.db, claims, (tx) =>
    selectRows<{ id: string; metadata: ObjectMetadata | null; updated_at: Date | string | null }>(
      tx,
      sql`select id, metadata, updated_at from storage.objects where bucket_id = ${bucketId} and name = ${name}`,
    ),
  );
  return row ?? null;
}
