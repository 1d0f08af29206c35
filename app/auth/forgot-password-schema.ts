import { SignInSchema } from "./schemas";

/** The address a recovery mail goes to: the same rules as on the sign-in form. */
export const ForgotPasswordSchema = SignInSchema.pick({ email: true });
