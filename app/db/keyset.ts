import { sql, type SQLWrapper } from "drizzle-orm";

/**
 * Keyset cursors for lists read newest first by (a time, a uuid): `2026-12-07T08:00:00.123456Z_<uuid>`.
 * A page asks for the rows before the cursor; a value that is not a cursor reads as the first page.
 */
export interface KeysetCursor {
  /** ISO time, UTC, with up to microseconds. */
  at: string;
  id: string;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function parseKeysetCursor(value: string | null | undefined): KeysetCursor | null {
  const match = value ? CURSOR.exec(value) : null;
  if (!match || Number.isNaN(Date.parse(match[1]))) return null;
  return { at: match[1], id: match[2] };
}

export const keysetCursor = (at: string, id: string) => `${at}_${id}`;

/**
 * A time column as a cursor carries it: ISO, UTC, with its microseconds. A Date keeps only
 * milliseconds, and a cursor cut to them would skip the rows between it and the row it
 * came from.
 */
export const cursorTime = (column: SQLWrapper) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows before the cursor in (time, id) order, or every row without one. */
export const beforeCursor = (cursor: KeysetCursor | null, time: SQLWrapper, id: SQLWrapper) =>
  cursor ? sql`(${time}, ${id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined;
