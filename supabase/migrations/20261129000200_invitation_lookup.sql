-- Inviting someone who already has an account adds them to the school instead of
-- creating a second account. Only people who manage that school may ask whether an
-- address has an account, and only for an exact address.
create function public.account_for_invitation(target_school_id uuid, invitee_email text) returns uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.can_manage_school(target_school_id) then
    raise exception 'not allowed to invite to this school' using errcode = '42501';
  end if;
  return (select id from auth.users where lower(email) = lower(btrim(invitee_email)) and deleted_at is null);
end
$$;

revoke all on function public.account_for_invitation(uuid, text) from public, anon;
grant execute on function public.account_for_invitation(uuid, text) to authenticated;
