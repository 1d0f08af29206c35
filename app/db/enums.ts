/** Value sets shared by the schema, forms and pages; free of drizzle so the browser bundle stays small. */
export const STAGES = ["primary", "middle", "high", "vocational"] as const;
export type Stage = (typeof STAGES)[number];
export const MEMBERSHIP_ROLES = ["teacher", "school_admin"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
export const LANGUAGES = ["zh-CN", "bo", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
