import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../worker/markdown/render.ts";

describe("markdown pipeline (inside workerd)", () => {
  it("removes scripts, event handlers, javascript: links and raw iframes", () => {
    const { html } = renderMarkdown(
      [
        "Hello <script>alert('x')</script>",
        "",
        '<img src="/a.png" onerror="alert(1)" onload="alert(2)">',
        "",
        '[click me](javascript:alert(document.cookie)) and <a href="JaVaScRiPt:alert(1)">raw</a>',
        "",
        '<iframe src="https://evil.example/"></iframe>',
        "",
        '<div style="position:fixed" onclick="steal()">styled</div>',
        "",
        '<form action="https://evil.example"><input name="password"></form>',
      ].join("\n"),
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/alert\('x'\)/);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/style=/i);
    expect(html).not.toMatch(/<form/i);
    expect(html).toContain('<img src="/a.png">');
    expect(html).toContain("<a>click me</a>");
  });

  it.each([
    ["bash", 'kubectl get pods -n kube-system # list pods\necho "$HOME"', "hljs-comment"],
    ["yaml", "apiVersion: apps/v1\nkind: Deployment", "hljs-attr"],
    ["json", '{ "Effect": "Allow", "count": 3 }', "hljs-number"],
    ["hcl", 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs-${var.env}"\n}', "hljs-keyword"],
    ["hcl", 'provider "aws" {\n  default_tags {\n    tags = {}\n  }\n}', "hljs-section"],
    ["dockerfile", "FROM node:24-alpine AS build\nRUN npm ci", "hljs-keyword"],
    ["typescript", "const port: number = 8080;\nexport function main() {}", "hljs-keyword"],
    ["python", "def handler(event):\n    return {'ok': True}", "hljs-keyword"],
  ])("highlights %s on the server", (language, code, tokenClass) => {
    const { html } = renderMarkdown(`\`\`\`${language}\n${code}\n\`\`\``);
    expect(html).toContain(`class="hljs language-${language}"`);
    expect(html).toContain(`<span class="${tokenClass}">`);
  });

  it("resolves aliases and leaves unknown or plain-text fences unhighlighted", () => {
    expect(renderMarkdown('```tf\nvariable "region" {}\n```').html).toContain(
      '<span class="hljs-keyword">variable</span>',
    );
    expect(renderMarkdown("```sh\nls -la # files\n```").html).toContain("hljs-comment");
    const plain = renderMarkdown("```text\nREADY   STATUS\n```").html;
    expect(plain).not.toContain("<span");
    expect(plain).toContain("READY   STATUS");
  });

  it("renders GitHub-flavoured tables and task lists", () => {
    const { html } = renderMarkdown("| Port | Service |\n|---|---|\n| 22 | SSH |\n\n- [x] install\n- [ ] configure");
    expect(html).toContain('<table tabindex="0">');
    expect(html).toContain("<td>SSH</td>");
    expect(html).toContain(
      '<li class="task-list-item"><input type="checkbox" checked disabled aria-label="Done: install"> install</li>',
    );
  });

  it("makes code blocks keyboard-scrollable and labels task-list checkboxes", () => {
    const { html } = renderMarkdown('```bash\nls\n```\n\n- [ ] configure\n\n<pre tabindex="5">raw</pre>');
    expect(html.match(/<pre tabindex="0">/g)).toHaveLength(2);
    expect(html).toContain('aria-label="To do: configure"');
  });

  it("gives headings anchors and builds the table of contents from h2 and h3", () => {
    const { html, toc } = renderMarkdown(
      "## Getting started\n\ntext\n\n### Install `kubectl`\n\n#### Deep\n\n## Getting started",
    );
    expect(toc).toEqual([
      { depth: 2, id: "user-content-getting-started", text: "Getting started" },
      { depth: 3, id: "user-content-install-kubectl", text: "Install kubectl" },
      { depth: 2, id: "user-content-getting-started-1", text: "Getting started" },
    ]);
    expect(html).toContain(
      '<h2 id="user-content-getting-started">Getting started<a href="#user-content-getting-started" class="heading-anchor" aria-label="Link to section: Getting started"></a></h2>',
    );
  });

  it("returns readable plain text for the search index", () => {
    const { text } = renderMarkdown("## Pods\n\nA **Pod** runs containers.\n\n```bash\nkubectl get pods\n```");
    expect(text).toContain("A Pod runs containers.");
    expect(text).toContain("kubectl get pods");
    expect(text).not.toContain("<");
  });
});
