import type { Database } from "../../db/client.ts";
import { devOutbox } from "../../db/schema.ts";
import type { Logger } from "../services/logger.ts";

export type EmailMessage = { to: string; subject: string; html: string; text: string };

/** The one way the platform sends email. */
export type EmailSender = { send(message: EmailMessage): Promise<void> };

/** Local mode: nothing leaves the machine; messages appear at /dev/outbox and in the log. */
export function devOutboxSender(db: Database, log: Logger): EmailSender {
  return {
    async send(message) {
      await db.insert(devOutbox).values(message);
      log.info("email stored in dev outbox", { to: message.to, subject: message.subject, text: message.text });
    },
  };
}

/**
 * Production: Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email),
 * configured by the RESEND_API_KEY secret and EMAIL_FROM var.
 */
export function resendSender(apiKey: string, from: string, log: Logger, fetcher: typeof fetch = fetch): EmailSender {
  return {
    async send(message) {
      const response = await fetcher("https://api.resend.com/emails", {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          from,
          to: [message.to],
          subject: message.subject,
          html: message.html,
          text: message.text,
        }),
      });
      if (!response.ok) {
        log.error("email delivery failed", { status: response.status, to: message.to, subject: message.subject });
        throw new Error(`Email provider answered ${response.status}`);
      }
    },
  };
}

export function createEmailSender(env: Env, db: Database, log: Logger): EmailSender {
  if (env.APP_ENV === "local") return devOutboxSender(db, log);
  if (!env.RESEND_API_KEY) {
    throw new Error("RESEND_API_KEY is not set: run `wrangler secret put RESEND_API_KEY` for this environment.");
  }
  return resendSender(env.RESEND_API_KEY, env.EMAIL_FROM, log);
}
