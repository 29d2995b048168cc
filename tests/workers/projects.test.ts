import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getOwnSubmission, listProjectsWithStatus } from "../../db/queries/projects.ts";
import { parseProjects, upsertProjects } from "../../db/seed/projects.ts";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import { putThenRecord, submissionFileKey } from "../../worker/uploads/submission-file.ts";
import { createAccount, login, post, SAME_ORIGIN } from "./accounts.ts";
import { request, seedDemoCurriculum, seedFiles, testDatabase } from "./helpers.ts";

const LINUX = "/modules/linux/project";
const AWS = "/modules/aws/project";
const TERRAFORM = "/modules/terraform/project";
const NETWORKING = "/modules/networking/project";

const ACCOUNTS = {
  student: "builder@example.com",
  other: "other.builder@example.com",
  careless: "careless@example.com",
  graduate: "graduate@example.com",
  outsider: "outsider@example.com",
  admin: "reviewer@example.com",
  secondAdmin: "second.reviewer@example.com",
} as const;
type Who = keyof typeof ACCOUNTS;
const cookies = {} as Record<Who, string>;
const PASSWORD = "projects are fun";

const PDF_BYTES = new TextEncoder().encode(
  "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);

async function userId(who: Who) {
  return (await env.DB.prepare("select id from users where email = ?").bind(ACCOUNTS[who]).first<string>("id"))!;
}

type SubmissionRow = {
  id: string;
  status: string;
  file_key: string | null;
  file_name: string | null;
  file_type: string | null;
};

async function submissionsOf(who: Who, moduleSlug: string) {
  const { results } = await env.DB.prepare(
    `select s.id, s.status, s.file_key, s.file_name, s.file_type from project_submissions s
     join projects p on p.id = s.project_id join modules m on m.id = p.module_id
     join users u on u.id = s.user_id
     where u.email = ? and m.slug = ? order by s.rowid desc`,
  )
    .bind(ACCOUNTS[who], moduleSlug)
    .all<SubmissionRow>();
  return results;
}

async function storedObjects(who: Who) {
  const listing = await env.LECTURE_ASSETS.list({ prefix: `submissions/${await userId(who)}/` });
  return listing.objects.map((object) => object.key);
}

function submit(
  path: string,
  who: Who | null,
  fields: { repoUrl?: string; notes?: string } = {},
  file?: File,
): Promise<Response> {
  const form = new FormData();
  form.set("repoUrl", fields.repoUrl ?? "https://github.com/builder/linux-server");
  form.set("notes", fields.notes ?? "Ubuntu 24.04 in a VM. `sudo ./install.sh` sets everything up.");
  // Browsers send an empty, unnamed part when no file is chosen.
  form.set("file", file ?? new File([], "", { type: "application/octet-stream" }));
  const headers: Record<string, string> = { ...SAME_ORIGIN };
  if (who) headers.cookie = cookies[who];
  return request(path, { method: "POST", headers, body: form });
}

function review(who: Who | null, submissionId: string, decision: string, feedback = "") {
  return post(`/admin/projects/${submissionId}`, { decision, feedback }, who ? { cookie: cookies[who] } : {});
}

const page = async (path: string, who: Who | null) => request(path, { headers: who ? { cookie: cookies[who] } : {} });

describe("project briefs in the seed content", () => {
  it("parses every brief, with its module, required flag and rendered acceptance criteria", () => {
    const projects = parseProjects(seedFiles());
    const bySlug = new Map(projects.map((project) => [project.moduleSlug, project]));
    for (const slug of ["linux", "networking", "aws", "terraform"]) {
      const project = bySlug.get(slug);
      expect(project, slug).toBeDefined();
      expect(project!.summary.length).toBeLessThanOrEqual(160);
      expect(project!.briefHtml).toContain('type="checkbox"');
      expect(project!.briefHtml).not.toContain("<script");
    }
    expect(bySlug.get("networking")!.required).toBe(false);
    expect(bySlug.get("linux")!.required).toBe(true);
    expect(bySlug.get("aws")!.required).toBe(true);
    expect(bySlug.get("terraform")!.required).toBe(true);
  });

  it("rejects malformed briefs with an error that names the file and the problem", () => {
    const brief = (front: string, body = "## Task\n\n- [ ] It works\n") => `---\n${front}\n---\n\n${body}`;
    const good = "title: A fine project\nsummary: A summary that is long enough to be useful.\nrequired: true";
    const cases: Array<[string, string, RegExp]> = [
      [
        "01-linux/_project.md",
        brief("summary: No title here at all, sadly.\nrequired: true"),
        /01-linux\/_project\.md.*title/,
      ],
      ["01-linux/_project.md", brief(`title: Long\nsummary: ${"x".repeat(161)}\nrequired: true`), /summary/],
      ["01-linux/_project.md", brief(good.replace("required: true", "required: yes")), /required: write true or false/],
      ["01-linux/_project.md", brief(`${good}\nrequried: false`), /unknown field requried/],
      ["01-linux/_project.md", brief(good, "   \n"), /brief .* is empty/],
      ["01-linux/_project.md", brief(good, "Build something.\n"), /no acceptance criteria/],
      ["linux/_project.md", brief(good), /linux\/_project\.md: .*NN-<module>\/_project\.md/],
    ];
    for (const [path, source, message] of cases) {
      expect(() => parseProjects([{ path, source }]), path).toThrow(message);
    }
    expect(() =>
      parseProjects([
        { path: "01-linux/_project.md", source: brief(good) },
        { path: "09-linux/_project.md", source: brief(good) },
      ]),
    ).toThrow(/09-linux\/_project\.md: module "linux" already has a project brief/);
  });
});

describe("project submissions and reviews", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
    const parsed = parseProjects(seedFiles());
    await upsertProjects(testDatabase(), parsed);
    // Idempotent: a second run updates in place.
    await upsertProjects(testDatabase(), parsed);
    expect(await env.DB.prepare("select count(*) as n from projects").first<number>("n")).toBe(parsed.length);

    for (const [who, email] of Object.entries(ACCOUNTS) as Array<[Who, string]>) {
      const admin = who === "admin" || who === "secondAdmin";
      await createAccount(
        email,
        PASSWORD,
        admin ? "admin" : "student",
        who === "student" ? "Bea Builder" : "Test Person",
      );
      if (!admin && who !== "outsider") await env.DB.prepare(enrollStatement(email, `enr-${who}`)).run();
      cookies[who] = await login(email, PASSWORD);
    }
  });

  it("shows the brief and a multipart submission form to enrolled students", async () => {
    const response = await page(LINUX, "student");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Run a service and its backups on a Linux server");
    expect(html).toContain("Acceptance criteria");
    // React writes the attribute as `encType`; HTML attribute names ignore case.
    expect(html).toMatch(/<form method="post"[^>]* enctype="multipart\/form-data"/i);
    expect(html).toContain('name="repoUrl"');
    expect(html).toContain('type="file"');
  });

  it("shows only the summary and how to get access to visitors and students without an enrolment", async () => {
    const anonymous = await (await page(LINUX, null)).text();
    expect(anonymous).toContain("Set up users and permissions, run a web service under systemd");
    expect(anonymous).toContain("Log in to continue");
    expect(anonymous).not.toContain("Acceptance criteria");
    expect(anonymous).not.toContain('name="repoUrl"');

    const outsider = await page(LINUX, "outsider");
    expect(outsider.status).toBe(200);
    const html = await outsider.text();
    expect(html).toContain("The full brief is for enrolled students");
    expect(html).toContain("Your account is not enrolled yet");
    expect(html).not.toContain("Acceptance criteria");
    expect(html).not.toContain('name="repoUrl"');
  });

  it("refuses submissions from students without an enrolment and from visitors", async () => {
    const response = await submit(LINUX, "outsider", {}, new File([PDF_BYTES], "diagram.pdf"));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Projects are open to enrolled students");
    expect(await submissionsOf("outsider", "linux")).toHaveLength(0);
    expect(await storedObjects("outsider")).toHaveLength(0);

    const anonymous = await submit(LINUX, null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("stores an attached file in R2 under a server key and gives its owner the same bytes back", async () => {
    const response = await submit(
      LINUX,
      "student",
      {},
      new File([PDF_BYTES], "../../etc/My diagram.pdf", { type: "text/html" }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/modules/linux/project?submitted=1#your-submissions");

    const [row] = await submissionsOf("student", "linux");
    expect(row!.status).toBe("submitted");
    expect(row!.file_key).toMatch(new RegExp(`^submissions/${await userId("student")}/${row!.id}/[0-9a-f]{32}$`));
    expect(row!.file_name).toBe("My diagram.pdf");
    expect(row!.file_type).toBe("application/pdf");
    const object = await env.LECTURE_ASSETS.get(row!.file_key!);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(PDF_BYTES);

    const download = await page(`/submissions/${row!.id}/file`, "student");
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="My diagram.pdf"/);
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(download.headers.get("cache-control")).toBe("private, no-store");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF_BYTES);

    const html = await (await page(response.headers.get("location")!, "student")).text();
    expect(html).toContain("Submitted. A reviewer will look at it soon");
    expect(html).toContain(`href="/submissions/${row!.id}/file"`);
    expect(html).toContain("Awaiting review");
  });

  it("serves the file to admins, and a 404 to other students and visitors", async () => {
    const [row] = await submissionsOf("student", "linux");
    const path = `/submissions/${row!.id}/file`;
    expect((await page(path, "admin")).status).toBe(200);
    expect((await page(path, "other")).status).toBe(404);
    expect((await page(path, null)).status).toBe(404);
    expect((await page("/submissions/00000000-0000-4000-8000-000000000000/file", "student")).status).toBe(404);
  });

  it("accepts a submission without a file", async () => {
    const response = await submit(AWS, "student", { repoUrl: "https://gitlab.com/builder/aws-web-tier" });
    expect(response.status).toBe(302);
    const [row] = await submissionsOf("student", "aws");
    expect(row!.status).toBe("submitted");
    expect(row!.file_key).toBeNull();
  });

  it("refuses a second submission while the latest one awaits review", async () => {
    const response = await submit(LINUX, "student", {}, new File([PDF_BYTES], "again.pdf"));
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("Your latest submission is awaiting review");
    expect(await submissionsOf("student", "linux")).toHaveLength(1);
    expect(await storedObjects("student")).toHaveLength(1);
  });

  it("refuses bad input with a message naming the field, keeps what was typed, and stores nothing", async () => {
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(56).fill(0)]);
    const pe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, ...new Array(56).fill(0)]);
    const tooBig = new Uint8Array(10 * 1024 * 1024 + 1);
    tooBig.set(PDF_BYTES);
    const cases: Array<{ fields?: { repoUrl?: string; notes?: string }; file?: File; message: string }> = [
      { fields: { repoUrl: "http://github.com/careless/infra" }, message: "Use an https:// address" },
      { fields: { repoUrl: "my repo on github" }, message: "Enter the full address of your repository" },
      {
        fields: { repoUrl: "https://token:secret@github.com/careless/infra" },
        message: "Remove the user name or token",
      },
      { fields: { notes: "x".repeat(10_001) }, message: "Notes can be up to 10,000 characters" },
      {
        file: new File(["<!doctype html><script>alert(1)</script>"], "report.pdf", { type: "application/pdf" }),
        message: "That file is an HTML, SVG or XML document, which we do not accept",
      },
      {
        file: new File(['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'], "diagram.svg"),
        message: "an HTML, SVG or XML document",
      },
      { file: new File([elf], "report.pdf", { type: "application/pdf" }), message: "a Linux program (ELF)" },
      { file: new File([pe], "screenshot.png", { type: "image/png" }), message: "a Windows program (PE)" },
      { file: new File([tooBig], "huge.pdf", { type: "application/pdf" }), message: "files can be up to 10 MB" },
      {
        file: new File([new Uint8Array([0x68, 0x69, 0x00, 0x01])], "notes.txt", { type: "text/plain" }),
        message: "That file&#x27;s type is not one we accept",
      },
    ];
    for (const { fields = {}, file, message } of cases) {
      const typed = { repoUrl: "https://github.com/careless/infra", notes: "My **terraform** notes", ...fields };
      const response = await submit(TERRAFORM, "careless", typed, file);
      expect(response.status, message).toBe(400);
      const html = await response.text();
      expect(html, message).toContain(message);
      expect(html, message).toContain("PDF, PNG, JPEG, WebP, ZIP or plain-text");
      if (!fields.notes) expect(html, message).toContain("My **terraform** notes");
      if (!fields.repoUrl) expect(html, message).toContain('value="https://github.com/careless/infra"');
    }
    expect(await submissionsOf("careless", "terraform")).toHaveLength(0);
    expect(await storedObjects("careless")).toHaveLength(0);
  });

  it("asks to choose the file again when another field was wrong", async () => {
    const response = await submit(
      TERRAFORM,
      "careless",
      { repoUrl: "ftp://example.com/infra", notes: "Kept notes" },
      new File([PDF_BYTES], "plan.pdf"),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("You had chosen “plan.pdf”: choose the file again.");
    expect(html).toContain("Kept notes");
    expect(await storedObjects("careless")).toHaveLength(0);
  });

  it("lets only one of two simultaneous submissions in, and leaves no stray file behind", async () => {
    const [first, second] = await Promise.all([
      submit(LINUX, "other", {}, new File([PDF_BYTES], "first.pdf")),
      submit(LINUX, "other", {}, new File([PDF_BYTES], "second.pdf")),
    ]);
    expect([first!.status, second!.status].sort()).toEqual([302, 409]);
    const rows = await submissionsOf("other", "linux");
    expect(rows).toHaveLength(1);
    expect(await storedObjects("other")).toEqual([rows[0]!.file_key]);
  });

  it("deletes the stored file again when the D1 write fails or is refused", async () => {
    const file = { bytes: PDF_BYTES, name: "plan.pdf", type: "application/pdf", size: PDF_BYTES.length };
    const upload = () => ({ key: submissionFileKey("cleanup-check", crypto.randomUUID()), file });
    const listed = async () => (await env.LECTURE_ASSETS.list({ prefix: "submissions/cleanup-check/" })).objects;

    const failing = upload();
    await expect(
      putThenRecord(
        env.LECTURE_ASSETS,
        failing,
        () => Promise.reject(new Error("D1 is unavailable")),
        () => true,
      ),
    ).rejects.toThrow("D1 is unavailable");
    const refused = upload();
    expect(
      await putThenRecord(
        env.LECTURE_ASSETS,
        refused,
        async () => false,
        (ok) => ok,
      ),
    ).toBe(false);
    expect(await listed()).toHaveLength(0);

    const kept = upload();
    expect(
      await putThenRecord(
        env.LECTURE_ASSETS,
        kept,
        async () => true,
        (ok) => ok,
      ),
    ).toBe(true);
    expect((await listed()).map((object) => object.key)).toEqual([kept.key]);
    await env.LECTURE_ASSETS.delete(kept.key);
  });

  it("accepts plain-text and markdown files as text", async () => {
    const notes = new File(
      ["# Plan output\n\nNo changes. Your infrastructure matches the configuration.\n"],
      "plan.md",
    );
    const response = await submit(TERRAFORM, "careless", { repoUrl: "https://github.com/careless/infra" }, notes);
    expect(response.status).toBe(302);
    const [row] = await submissionsOf("careless", "terraform");
    expect(row!.file_type).toBe("text/plain; charset=utf-8");
    expect(row!.file_name).toBe("plan.md");
    expect(await storedObjects("careless")).toEqual([row!.file_key]);
  });

  it("keeps reviews away from students and visitors: 404 for the queue, the submission and its POST", async () => {
    const [row] = await submissionsOf("student", "linux");
    for (const who of ["student", "other", null] as const) {
      expect((await page("/admin/projects", who)).status).toBe(404);
      expect((await page(`/admin/projects/${row!.id}`, who)).status).toBe(404);
      expect((await review(who, row!.id, "approve")).status).toBe(404);
    }
    expect((await submissionsOf("student", "linux"))[0]!.status).toBe("submitted");
  });

  it("runs the review loop: changes requested, feedback seen, resubmitted, approved, and never decided twice", async () => {
    const queue = await page("/admin/projects", "admin");
    expect(queue.status).toBe(200);
    const queueHtml = await queue.text();
    expect(queueHtml).toContain("Bea Builder");
    expect(queueHtml).toContain("Run a service and its backups on a Linux server");
    // Oldest first: the Linux submission came before the AWS one.
    expect(queueHtml.indexOf("Run a service and its backups")).toBeLessThan(queueHtml.indexOf("self-healing web tier"));

    const [first] = await submissionsOf("student", "linux");
    const reviewPage = await (await page(`/admin/projects/${first!.id}`, "admin")).text();
    expect(reviewPage).toContain("https://github.com/builder/linux-server");
    expect(reviewPage).toContain("<code>sudo ./install.sh</code>");
    expect(reviewPage).toContain(`/submissions/${first!.id}/file`);
    expect(reviewPage).toContain("builder@example.com");

    const noFeedback = await review("admin", first!.id, "request_changes", "  ");
    expect(noFeedback.status).toBe(400);
    expect(await noFeedback.text()).toContain("Write what needs to change");
    expect((await submissionsOf("student", "linux"))[0]!.status).toBe("submitted");

    const feedback = "Add the `shellcheck` output to your notes.";
    const requested = await review("admin", first!.id, "request_changes", feedback);
    expect(requested.status).toBe(302);
    expect(requested.headers.get("location")).toBe("/admin/projects?reviewed=changes_requested");
    expect((await submissionsOf("student", "linux"))[0]!.status).toBe("changes_requested");

    const twice = await review("secondAdmin", first!.id, "approve", "Looks fine to me");
    expect(twice.status).toBe(409);
    const twiceHtml = await twice.text();
    expect(twiceHtml).toContain("this submission was already sent back with changes requested");
    expect(twiceHtml).toContain("Looks fine to me");
    expect((await submissionsOf("student", "linux"))[0]!.status).toBe("changes_requested");

    const studentView = await (await page(LINUX, "student")).text();
    expect(studentView).toContain("Changes requested");
    expect(studentView).toContain("Add the <code>shellcheck</code> output to your notes.");
    expect(studentView).toContain("Submit your revised project");

    const resubmitted = await submit(LINUX, "student", { notes: "Added `shellcheck` output." });
    expect(resubmitted.status).toBe(302);
    const [second] = await submissionsOf("student", "linux");
    expect(second!.id).not.toBe(first!.id);
    expect(second!.status).toBe("submitted");

    const history = await (await page(`/admin/projects/${second!.id}`, "admin")).text();
    expect(history).toContain("Earlier submissions");
    expect(history).toContain(`/admin/projects/${first!.id}`);

    const approved = await review("secondAdmin", second!.id, "approve");
    expect(approved.status).toBe(302);
    expect((await submissionsOf("student", "linux"))[0]!.status).toBe("approved");
    expect((await review("admin", second!.id, "request_changes", "Wait")).status).toBe(409);

    const finalView = await (await page(LINUX, "student")).text();
    expect(finalView).toContain("Project approved");
    expect(finalView).not.toContain('name="repoUrl"');
    const after = await submit(LINUX, "student");
    expect(after.status).toBe(409);
    expect(await after.text()).toContain("already approved");
    expect(await submissionsOf("student", "linux")).toHaveLength(2);
  });

  it("lets exactly one of two simultaneous reviews decide", async () => {
    const [row] = await submissionsOf("student", "aws");
    const responses = await Promise.all([
      review("admin", row!.id, "approve"),
      review("secondAdmin", row!.id, "request_changes", "Add a diagram."),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([302, 409]);
    const status = (await submissionsOf("student", "aws"))[0]!.status;
    expect(["approved", "changes_requested"]).toContain(status);
  });

  it("issues the certificate in the same write as the approval that completes the programme", async () => {
    const graduate = await userId("graduate");
    // Every lecture done and every other required project approved, straight in D1.
    await env.DB.prepare(
      `insert into lecture_progress (user_id, lecture_id, completed_at) select ?, id, unixepoch() from lectures`,
    )
      .bind(graduate)
      .run();
    await env.DB.prepare(
      `insert into project_submissions (id, project_id, user_id, repo_url, status)
       select lower(hex(randomblob(16))), projects.id, ?, 'https://github.com/graduate/work', 'approved'
       from projects join modules on modules.id = projects.module_id
       where projects.required = 1 and modules.slug != 'linux'`,
    )
      .bind(graduate)
      .run();
    const certificate = () =>
      env.DB.prepare("select count(*) as n from certificates where user_id = ?").bind(graduate).first<number>("n");
    // Quizzes are seeded separately; with none in this database, lectures and projects decide.
    expect(await env.DB.prepare("select count(*) as n from quizzes").first<number>("n")).toBe(0);

    expect((await submit(LINUX, "graduate", { repoUrl: "https://github.com/graduate/linux" })).status).toBe(302);
    expect(await certificate()).toBe(0);
    const [row] = await submissionsOf("graduate", "linux");
    expect((await review("admin", row!.id, "approve")).status).toBe(302);
    expect(await certificate()).toBe(1);
  });

  it("summarises each module's project with the student's latest status for the dashboard batch", async () => {
    const db = testDatabase();
    const actor = async (who: Who) => ({
      id: await userId(who),
      name: "Test Person",
      email: ACCOUNTS[who],
      role: "student" as const,
      emailVerified: true,
    });
    const student = await actor("student");
    const [rows] = await db.batch([listProjectsWithStatus(db, student)]);
    expect(rows.slice(0, 4).map((row) => row.moduleSlug)).toEqual(["linux", "networking", "aws", "terraform"]);
    const linux = rows.find((row) => row.moduleSlug === "linux")!;
    expect(linux).toMatchObject({
      moduleTitle: "Linux Foundations",
      projectTitle: "Run a service and its backups on a Linux server",
      required: true,
      status: "approved",
    });
    expect(linux.updatedAt).toBeInstanceOf(Date);
    expect(rows.find((row) => row.moduleSlug === "networking")).toMatchObject({
      required: false,
      status: "none",
      updatedAt: null,
    });

    const [latest] = await submissionsOf("student", "linux");
    expect(await getOwnSubmission(db, student, latest!.id)).toMatchObject({ status: "approved", moduleSlug: "linux" });
    expect(await getOwnSubmission(db, await actor("other"), latest!.id)).toBeUndefined();
  });

  it("lets students skip the optional lab without it blocking anything", async () => {
    const html = await (await page(NETWORKING, "student")).text();
    expect(html).toContain("Optional lab");
    expect(html).toContain("Network troubleshooting lab");
  });

  it("lists every project at /projects, with the signed-in student's own status only", async () => {
    const visitor = await (await page("/projects", null)).text();
    for (const title of ["Run a service and its backups on a Linux server", "Network troubleshooting lab"]) {
      expect(visitor).toContain(title);
    }
    expect(visitor).not.toContain("Approved");
    const student = await (await page("/projects", "student")).text();
    expect(student).toContain("required projects approved");
    expect(student).toContain("Approved");
    const other = await (await page("/projects", "other")).text();
    expect(other).not.toContain(">Approved<");
  });
});
