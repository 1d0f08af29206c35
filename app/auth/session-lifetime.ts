/**
 * A session unused (not refreshed) for this long ends: its refresh token answers
 * session_expired, as GoTrue's sessions.inactivity_timeout (supabase/config.toml) does, and
 * the embedded Auth (embedded/auth/) follows it. The app's session cookies live as long.
 */
export const SESSION_INACTIVITY_SECONDS = 30 * 24 * 60 * 60;
