-- One meaning per error code (issue 13: one refusal catalogue). TK423 meant "the two schools
-- are in the same region" for pairings and "already booked" for live classes; a clash now has
-- its own code, TK426, and carries the booking it clashes with in its detail as before. The
-- codes and what people read for each are listed once, in app/db/refusals.ts:
--   TK405 append-only    TK409 changed by someone else first    TK422 not in this state
--   TK423 same region    TK424 reason required    TK425 invalid input    TK426 already booked
-- The function is the one of 20261207100100_converge_edited_migrations.sql with the clash's
-- code changed; nothing else in it changes.

-- Checks shared by scheduling and rescheduling: every occurrence in the future, at most 4
-- hours long, and no classroom or teacher booked twice.
create or replace function private.check_live_session_times(
  classroom_ids uuid[], teacher_ids uuid[], starts timestamptz[], ends timestamptz[], except_session uuid
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  clash jsonb;
begin
  if cardinality(starts) is distinct from cardinality(ends) or coalesce(cardinality(starts), 0) = 0 then
    raise exception 'each occurrence needs a start and an end' using errcode = 'TK425';
  end if;
  if cardinality(starts) > 30 then
    raise exception 'at most 30 occurrences at once' using errcode = 'TK425';
  end if;
  for i in 1 .. cardinality(starts) loop
    if starts[i] is null or ends[i] is null or ends[i] <= starts[i] then
      raise exception 'occurrence % ends before it starts', i using errcode = 'TK425';
    end if;
    if ends[i] - starts[i] > interval '4 hours' then
      raise exception 'occurrence % is longer than 4 hours', i using errcode = 'TK425';
    end if;
    if starts[i] < now() then
      raise exception 'occurrence % starts in the past', i using errcode = 'TK425';
    end if;
  end loop;
  perform private.lock_bookings(classroom_ids || teacher_ids);
  for i in 1 .. cardinality(starts) loop
    -- Two occurrences of the same request overlapping each other also clash.
    for j in 1 .. i - 1 loop
      if starts[j] < ends[i] and ends[j] > starts[i] then
        raise exception 'occurrences % and % overlap', j, i using errcode = 'TK425';
      end if;
    end loop;
    clash := private.live_session_clash(classroom_ids, teacher_ids, starts[i], ends[i], except_session);
    if clash is not null then
      raise exception 'already booked' using errcode = 'TK426', detail = clash::text;
    end if;
  end loop;
end
$$;
revoke all on function private.check_live_session_times(uuid[], uuid[], timestamptz[], timestamptz[], uuid)
  from public, anon, authenticated;
