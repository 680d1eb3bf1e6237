/**
 * GCP service account ids must be 6-30 characters of [a-z0-9-], start with a letter and not end
 * with '-'. Derived from the component name only (stable), never from mutable settings.
 */
export function serviceAccountId(componentName: string): string {
    const base = componentName.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^[^a-z]+/, "");
    const id = `${base || "llm"}-sa`.slice(0, 30).replace(/-+$/, "");
    return id.length >= 6 ? id : `${id}-serve`.slice(0, 30);
}

/** Ranges Google's health checkers and front ends connect from (GCP load balancing docs). */
export const GOOGLE_FRONT_END_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/** A user-managed service account's email, fixed by its id and project. */
export function serviceAccountEmail(project: string, accountId: string): string {
    return `${accountId}@${project}.iam.gserviceaccount.com`;
}

/** Secret Manager's resource name for a secret, fixed by its id and project. */
export function secretResourceName(project: string, secretId: string): string {
    return `projects/${project}/secrets/${secretId}`;
}
