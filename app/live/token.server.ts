import type { AppLoadContext } from "@remix-run/node";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { JwtClaims } from "~/db/types";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { mintParticipantToken } from "./livekit.server";
import { joinFacts } from "./queries.server";

/** A teacher reconnecting over a bad link asks often; a script asking faster than this is refused. */
const limiters = new Map<number, RateLimiterMemory>();
function limiterFor(perMinute: number) {
  let limiter = limiters.get(perMinute);
  if (!limiter)
    limiters.set(perMinute, (limiter = new RateLimiterMemory({ keyPrefix: `live-token-${perMinute}`, points: perMinute, duration: 60 })));
  return limiter;
}

export type JoinTokenResult =
  | { status: 200; body: { serverUrl: string; participantToken: string } }
  | {
      status: 403 | 404 | 409 | 429;
      error: "live:errors.notAllowed" | "live:errors.notFound" | "live:errors.notJoinable" | "live:errors.tooManyRequests";
    };

/**
 * A LiveKit join token for the signed-in user, after reading the session and their role in it
 * through RLS: 404 when they may not see it, 403 when they may see but not join (a paused
 * pairing), 409 when it is cancelled or over. Grants follow the role; the token lives 10 minutes.
 */
export async function issueJoinToken(context: AppLoadContext, claims: JwtClaims, sessionId: string): Promise<JoinTokenResult> {
  try {
    await limiterFor(context.tongke.env.LIVEKIT_TOKEN_RATE_PER_MINUTE).consume(claims.sub);
  } catch {
    return { status: 429, error: "live:errors.tooManyRequests" };
  }
  const facts = await withUserTransaction(context.tongke.database, claims, (tx) => joinFacts(tx, sessionId));
  if (!facts) return { status: 404, error: "live:errors.notFound" };
  if (!facts.role) return { status: 403, error: "live:errors.notAllowed" };
  if (facts.status === "cancelled" || facts.status === "ended") return { status: 409, error: "live:errors.notJoinable" };
  const config = context.tongke.live.config;
  const participantToken = await mintParticipantToken(config, {
    sessionId,
    identity: claims.sub,
    name: facts.name ?? claims.email ?? "",
    metadata: { schoolId: facts.schoolId, classroomId: facts.classroomId, role: facts.role },
    role: facts.role,
  });
  return { status: 200, body: { serverUrl: config.url, participantToken } };
}
