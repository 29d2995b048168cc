export const site = {
  name: "DevOps School",
  tagline: "Learn DevOps by running real infrastructure, together with your cohort.",
  description:
    "A cohort-based DevOps school: Linux, networking, AWS, Terraform, Docker, Kubernetes, CI/CD and monitoring, taught hands-on with real projects and interview preparation.",
};

/** `<title>` and description for a page; every route's meta goes through this. */
export function pageMeta(title: string | null, description: string = site.description) {
  return [
    { title: title ? `${title} · ${site.name}` : `${site.name}: ${site.tagline}` },
    { name: "description", content: description },
    { property: "og:title", content: title ?? site.name },
    { property: "og:description", content: description },
    { property: "og:type", content: "website" },
  ];
}
