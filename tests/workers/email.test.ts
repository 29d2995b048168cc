import { describe, expect, it } from "vitest";
import { resendSender } from "../../worker/email/sender.ts";
import { resetPasswordMessage, verifyEmailMessage } from "../../worker/email/templates.ts";
import { createLogger } from "../../worker/services/logger.ts";

const log = createLogger({ test: "email" });

describe("email", () => {
  it("renders HTML and text versions with the link, escaping what users typed", () => {
    const message = verifyEmailMessage("ada@example.com", "Ada <script>", "https://school.test/verify-email?token=a&b");
    expect(message.subject).toBe("Confirm your email for DevOps School");
    expect(message.html).toContain("Ada &#60;script&#62;");
    expect(message.html).not.toContain("<script>");
    expect(message.html).toContain('href="https://school.test/verify-email?token=a&#38;b"');
    expect(message.text).toContain("Confirm my email: https://school.test/verify-email?token=a&b");
    expect(resetPasswordMessage("a@example.com", "A", "https://x.test/r").text).toContain("works for one hour");
  });

  it("sends through the provider's HTTP API with the key and sender from configuration", async () => {
    const sent: Request[] = [];
    const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Request(input, init));
      return Response.json({ id: "email_123" });
    }) as typeof fetch;
    const sender = resendSender("re_test_key", "DevOps School <no-reply@devops.school>", log, fakeFetch);
    await sender.send(verifyEmailMessage("ada@example.com", "Ada", "https://school.test/v"));

    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe("https://api.resend.com/emails");
    expect(sent[0]!.headers.get("authorization")).toBe("Bearer re_test_key");
    const body = (await sent[0]!.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      from: "DevOps School <no-reply@devops.school>",
      to: ["ada@example.com"],
      subject: "Confirm your email for DevOps School",
    });
    expect(body.html).toEqual(expect.stringContaining("https://school.test/v"));
    expect(body.text).toEqual(expect.stringContaining("https://school.test/v"));
  });

  it("fails loudly when the provider refuses, so the caller can tell the user", async () => {
    const refusing = (async () => new Response("nope", { status: 422 })) as unknown as typeof fetch;
    const sender = resendSender("re_test_key", "x@y.z", log, refusing);
    await expect(sender.send(verifyEmailMessage("a@example.com", "A", "https://x.test"))).rejects.toThrow(/422/);
  });
});
