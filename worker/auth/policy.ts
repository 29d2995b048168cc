import * as z from "zod";

// What accounts may look like, shared by every form and by better-auth's own limits.

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** Session lifetime: ends after a week without use, and in any case 30 days after login. */
export const SESSION_IDLE_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_REFRESH_SECONDS = 24 * 60 * 60;
export const SESSION_ABSOLUTE_SECONDS = 30 * 24 * 60 * 60;

// The passwords attackers try first; length alone does not rule these out.
const COMMON_PASSWORDS = new Set([
  "password123",
  "password1234",
  "passw0rd123",
  "qwertyuiop",
  "qwerty12345",
  "1234567890",
  "12345678910",
  "0123456789",
  "iloveyou123",
  "letmein1234",
  "welcome123",
  "admin12345",
  "abcdefghij",
  "1q2w3e4r5t",
  "aaaaaaaaaa",
  "devopsschool",
  "kubernetes",
]);

// Control and invisible format characters have no place in names or emails.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

export const nameSchema = z
  .string({ error: "Enter your name." })
  .trim()
  .min(1, "Enter your name.")
  .max(80, "Keep your name under 80 characters.")
  .refine((value) => !INVISIBLE.test(value), "Your name contains characters we can't show.")
  .transform((value) => value.normalize("NFC"));

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .refine((value) => !INVISIBLE.test(value), "That email address contains invisible characters.")
  .pipe(z.email("Enter a valid email address, like name@example.com."))
  .transform((value) => value.toLowerCase());

export const passwordSchema = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`)
  .refine((value) => !COMMON_PASSWORDS.has(value.toLowerCase()), "That password is too common; choose another.")
  .refine((value) => new Set(value).size >= 4, "Use a less repetitive password.");

/** For logging in: any non-empty password (policy applies when one is chosen). */
export const currentPasswordSchema = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(PASSWORD_MAX, "That password is too long.");
