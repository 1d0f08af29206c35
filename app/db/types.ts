/** The claims Supabase Auth puts in an access token; the policies read them through auth.jwt(). */
export interface JwtClaims {
  sub: string;
  role: "authenticated" | "anon" | "service_role";
  aud?: string | string[];
  email?: string;
  phone?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  session_id?: string;
  /** How the session began (GoTrue's amr): "password", "otp" for an email link, …, and when. */
  amr?: { method: string; timestamp: number }[];
  aal?: string;
  is_anonymous?: boolean;
  iat?: number;
  exp?: number;
  iss?: string;
}
