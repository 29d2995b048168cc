import type { EmailMessage } from "./sender.ts";

const SCHOOL = "DevOps School";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

type Template = {
  to: string;
  subject: string;
  greeting: string;
  lines: string[];
  action: { label: string; url: string };
  footer: string;
};

/** One layout for every email: a greeting, a few lines, one button, and the link in plain text. */
function render({ to, subject, greeting, lines, action, footer }: Template): EmailMessage {
  const paragraphs = lines.map((line) => `<p style="margin:0 0 16px">${escapeHtml(line)}</p>`).join("");
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;background:#f1f5f9;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#0f172a">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="padding:32px 12px">
    <tr><td align="center">
      <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:12px;padding:32px">
        <tr><td>
          <p style="margin:0 0 24px;font-weight:700;color:#0e7490">${SCHOOL}</p>
          <p style="margin:0 0 16px">${escapeHtml(greeting)}</p>
          ${paragraphs}
          <p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#0e7490;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:8px">${escapeHtml(action.label)}</a></p>
          <p style="margin:0 0 16px;font-size:13px;color:#475569">If the button does not work, paste this link into your browser:<br><a href="${escapeHtml(action.url)}" style="color:#0e7490;word-break:break-all">${escapeHtml(action.url)}</a></p>
          <p style="margin:24px 0 0;font-size:13px;color:#475569">${escapeHtml(footer)}</p>
        </td></tr>
      </table>
    </td></tr>
  </table>
</body>
</html>`;
  const text = [greeting, "", ...lines, "", `${action.label}: ${action.url}`, "", footer, "", `— ${SCHOOL}`].join("\n");
  return { to, subject, html, text };
}

export function verifyEmailMessage(to: string, name: string, url: string): EmailMessage {
  return render({
    to,
    subject: `Confirm your email for ${SCHOOL}`,
    greeting: `Hi ${name},`,
    lines: [
      `Welcome to ${SCHOOL}! Confirm that this is your email address to finish creating your account.`,
      "The link works for 24 hours.",
    ],
    action: { label: "Confirm my email", url },
    footer: "If you did not create an account, you can ignore this email: nothing happens until the link is used.",
  });
}

export function resetPasswordMessage(to: string, name: string, url: string): EmailMessage {
  return render({
    to,
    subject: `Reset your ${SCHOOL} password`,
    greeting: `Hi ${name},`,
    lines: [
      "Someone (hopefully you) asked to reset the password of your account.",
      "Choose a new password with the link below. It works for one hour, and only once; resetting signs you out everywhere.",
    ],
    action: { label: "Choose a new password", url },
    footer: "If you did not ask for this, ignore this email: your password stays as it is.",
  });
}

export function changeEmailMessage(to: string, name: string, url: string): EmailMessage {
  return render({
    to,
    subject: `Confirm your new email for ${SCHOOL}`,
    greeting: `Hi ${name},`,
    lines: [
      "You asked to use this address for your account. Confirm it to make the change.",
      "Until you confirm, you keep signing in with your current address.",
    ],
    action: { label: "Confirm my new email", url },
    footer: "If you did not ask for this, ignore this email and consider changing your password.",
  });
}
