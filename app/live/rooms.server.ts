import { sql } from "drizzle-orm";
import type { WebhookEvent } from "livekit-server-sdk";
import type { Database, DbHandle, Transaction } from "~/db/client.server";
import { selectRows } from "~/db/execute.server";
import { withServiceRole } from "~/db/system.server";
import {
  createRoomService,
  roomNameOf,
  sessionIdOfRoom,
  verifyWebhook,
  WebhookRejectedError,
  type LiveKitConfig,
  type RoomService,
  type WebhookRejection,
} from "./livekit.server";

/**
 * The system side of live sessions: LiveKit's webhooks written into the sessions and their
 * attendance, and people who lose their place in a pairing taken out of its live rooms.
 * Both are system work (no user asked for them), so this is the one live module that uses
 * the service role.
 */
export interface LiveRooms {
  config: LiveKitConfig;
  roomService: RoomService;
  /**
   * Verifies and applies one delivery: `applied` is false for a retried delivery already
   * applied; `rejected` names why a forged, altered or unsigned one was refused. (A result,
   * not an exception: routes are bundled apart from this module, so `instanceof` would not
   * recognise its error class there.)
   */
  receiveWebhook(rawBody: string, authorization: string | null): Promise<WebhookResult>;
  /** Starts listening for access changes (idempotent). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export type WebhookResult = { rejected: WebhookRejection } | { rejected: null; applied: boolean; event: string };

/** The channel the database announces lost memberships and pairing status changes on (see the lesson-plans migration). */
const ACCESS_CHANNEL = "tongke_lesson_plan_access";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createLiveRooms(options: {
  database: Promise<{ db: DbHandle }>;
  config: LiveKitConfig;
  roomService?: RoomService;
  onError?: (error: unknown) => void;
}): LiveRooms {
  const roomService = options.roomService ?? createRoomService(options.config);
  const dbOf = async (): Promise<Database> => (await options.database).db.db;
  const report = options.onError ?? ((error: unknown) => console.warn("[live] eviction failed:", error));
  let unlisten: (() => Promise<void>) | undefined;
  let starting: Promise<void> | undefined;
  const pending = new Set<Promise<unknown>>();

  async function receiveWebhook(rawBody: string, authorization: string | null): Promise<WebhookResult> {
    let event: WebhookEvent;
    try {
      event = await verifyWebhook(options.config, rawBody, authorization);
    } catch (error) {
      if (error instanceof WebhookRejectedError) return { rejected: error.reason };
      throw error;
    }
    const applied = await withServiceRole(await dbOf(), (tx) => applyWebhookEvent(tx, event));
    return { rejected: null, applied, event: event.event };
  }

  /** Everyone in a live room who no longer has a role in it is removed from the room. */
  async function evict(change: { user_id?: string; pairing_id?: string }) {
    const userId = change.user_id && UUID.test(change.user_id) ? change.user_id : null;
    const pairingId = change.pairing_id && UUID.test(change.pairing_id) ? change.pairing_id : null;
    if (!userId && !pairingId) return;
    const rows = await withServiceRole(await dbOf(), (tx) =>
      selectRows<{ session_id: string; identity: string }>(
        tx,
        sql`select distinct a.session_id, a.identity
            from public.live_session_attendance a
            join public.live_sessions ls on ls.id = a.session_id
            where ls.status = 'live' and a.left_at is null
              and (a.user_id = ${userId}::uuid or ls.pairing_id = ${pairingId}::uuid)
              and private.live_session_role_of(ls.id, a.user_id) is null`,
      ),
    );
    for (const row of rows) await roomService.removeParticipant(roomNameOf(row.session_id), row.identity);
  }

  async function start() {
    starting ??= (async () => {
      const { db } = await options.database;
      unlisten = await db.listen(ACCESS_CHANNEL, (payload) => {
        let change: { user_id?: string; pairing_id?: string };
        try {
          change = JSON.parse(payload) as typeof change;
        } catch {
          return;
        }
        const work = evict(change).catch(report);
        pending.add(work);
        void work.finally(() => pending.delete(work));
      });
    })();
    return starting;
  }

  async function close() {
    await Promise.allSettled([...pending]);
    await unlisten?.();
  }

  return { config: options.config, roomService, receiveWebhook, start, close };
}

const secondsToDate = (value: bigint | number | undefined) => (value ? new Date(Number(value) * 1000) : null);

/**
 * Applies a verified webhook event once: the delivery's id is recorded first, so a retried
 * delivery changes nothing. LiveKit delivers in any order (a participant_joined after
 * room_finished, a participant_left before its participant_joined), so each event only
 * narrows the class towards one final state that does not depend on the order: the session
 * moves forward only (scheduled → live → ended), started_at is the earliest start seen,
 * ended_at the earliest end, a connection's joined_at its earliest join and left_at its
 * earliest leave — and once the room has finished no connection stays open past its end.
 * Deliveries for one session are serialised by a lock on its row, so a join racing the
 * room's end cannot slip in between. Roles, schools and classrooms come from the database,
 * never from the participant's (self-updatable) metadata.
 */
export async function applyWebhookEvent(tx: Transaction, event: WebhookEvent): Promise<boolean> {
  const roomName = event.room?.name ?? "";
  const [recorded] = await selectRows<{ id: string }>(
    tx,
    sql`insert into private.livekit_webhook_events (id, kind, room_name)
        values (${event.id}, ${event.event}, ${roomName || null})
        on conflict (id) do nothing returning id`,
  );
  if (!recorded) return false;
  const sessionId = sessionIdOfRoom(roomName);
  if (!sessionId) return true;
  const [session] = await selectRows<{ id: string }>(tx, sql`select id from public.live_sessions where id = ${sessionId} for update`);
  if (!session) return true;
  const at = secondsToDate(event.createdAt) ?? new Date();

  switch (event.event) {
    case "room_started":
      await markLive(tx, sessionId, secondsToDate(event.room?.creationTime) ?? at);
      break;
    case "participant_joined":
    case "participant_left": {
      const participant = event.participant;
      if (!participant?.sid || !participant.identity) break;
      const joinedAt = secondsToDate(participant.joinedAt) ?? at;
      await markLive(tx, sessionId, joinedAt);
      const userId = UUID.test(participant.identity) ? participant.identity.toLowerCase() : null;
      const leftAt = event.event === "participant_left" ? new Date(Math.max(at.getTime(), joinedAt.getTime())) : null;
      await tx.execute(sql`
        insert into public.live_session_attendance
          (session_id, participant_sid, identity, user_id, role, school_id, classroom_id, joined_at, left_at)
        select ls.id, ${participant.sid}, ${participant.identity},
               (select p.id from public.profiles p where p.id = ${userId}::uuid),
               seat.role, seat.school_id, seat.classroom_id,
               ${joinedAt.toISOString()}::timestamptz,
               ${leftAt?.toISOString() ?? null}::timestamptz
        from public.live_sessions ls
        cross join private.live_session_seat_of(ls.id, ${userId}::uuid) seat
        where ls.id = ${sessionId}
        on conflict (session_id, participant_sid) do update
          set joined_at = least(public.live_session_attendance.joined_at, excluded.joined_at),
              -- greatest() and least() skip nulls: a connection nobody saw leave stays open.
              left_at = case when coalesce(public.live_session_attendance.left_at, excluded.left_at) is not null
                        then greatest(least(public.live_session_attendance.joined_at, excluded.joined_at),
                                      least(public.live_session_attendance.left_at, excluded.left_at)) end`);
      break;
    }
    case "room_finished":
      await markEnded(tx, sessionId, at);
      break;
    default:
      break;
  }
  await closeAtRoomEnd(tx, sessionId);
  return true;
}

/** The earliest start any event showed, for a class already live or over; a scheduled one goes live. */
async function markLive(tx: Transaction, sessionId: string, startedAt: Date) {
  const stamp = startedAt.toISOString();
  await tx.execute(sql`
    update public.live_sessions set started_at = ${stamp}::timestamptz
    where id = ${sessionId} and status in ('live', 'ended') and started_at > ${stamp}::timestamptz`);
  await tx.execute(sql`
    with started as (
      update public.live_sessions set status = 'live', started_at = coalesce(started_at, ${stamp}::timestamptz)
      where id = ${sessionId} and status = 'scheduled'
      returning id, pairing_id, started_at
    )
    insert into public.pairing_events (pairing_id, kind, data)
    select pairing_id, 'live_session_started', jsonb_build_object('session_id', id, 'started_at', started_at) from started`);
}

/**
 * The room's end: the earliest room_finished wins. A class whose room_finished came before
 * any other event still logs that it started, so the activity log has the same entries
 * whatever the order (their figures are what was known when they were written).
 */
async function markEnded(tx: Transaction, sessionId: string, endedAt: Date) {
  const stamp = endedAt.toISOString();
  await tx.execute(sql`
    update public.live_sessions set ended_at = ${stamp}::timestamptz, started_at = least(started_at, ${stamp}::timestamptz)
    where id = ${sessionId} and status = 'ended' and ended_at > ${stamp}::timestamptz`);
  await tx.execute(sql`
    with ended as (
      update public.live_sessions ls
      set status = 'ended', started_at = least(ls.started_at, ${stamp}::timestamptz), ended_at = ${stamp}::timestamptz
      from public.live_sessions prev
      where ls.id = ${sessionId} and prev.id = ls.id and ls.status in ('scheduled', 'live')
      returning ls.id, ls.pairing_id, ls.started_at, ls.ended_at, prev.status as was
    ),
    started as (
      insert into public.pairing_events (pairing_id, kind, data)
      select pairing_id, 'live_session_started', jsonb_build_object('session_id', id, 'started_at', started_at)
      from ended where was = 'scheduled'
    )
    insert into public.pairing_events (pairing_id, kind, data)
    select pairing_id, 'live_session_ended',
           jsonb_build_object('session_id', id, 'minutes', floor(extract(epoch from ended_at - started_at) / 60)::int)
    from ended`);
}

/** Once the room has finished, no connection of the class is open or ends after the room did. */
async function closeAtRoomEnd(tx: Transaction, sessionId: string) {
  await tx.execute(sql`
    update public.live_session_attendance a
    set left_at = greatest(a.joined_at, least(a.left_at, ls.ended_at))
    from public.live_sessions ls
    where ls.id = ${sessionId} and a.session_id = ls.id and ls.status = 'ended' and ls.ended_at is not null
      and (a.left_at is null or a.left_at > greatest(a.joined_at, ls.ended_at))`);
}
