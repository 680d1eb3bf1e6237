import { z } from "zod";
import { int } from "./fields";

/** An image reference pinned to a tag or digest (the same rule as the targets' serving images). */
const PINNED_IMAGE = /^[\w.-]+(:\d+)?(\/[\w.-]+)+(@sha256:[0-9a-f]{64}|:[\w][\w.-]{0,127})$/;

/**
 * Why one Rasa server only: Rasa's default tracker store and lock store live in the server's
 * memory, so a second replica neither sees the first one's conversations nor its locks (Rasa's
 * lock-store docs: the InMemoryLockStore must not be used with several Rasa servers). A shared
 * tracker and lock store (Redis) would lift this; it is not built here.
 */
export const RASA_REPLICAS_WHY =
    "with several Rasa servers the in-memory tracker store and lock store lose conversations (Rasa: InMemoryLockStore must not be used with several servers); a shared tracker and lock store (Redis) is not built yet";

/**
 * What in a model URL is a credential: a user:password before the host, or a presigned query
 * (S3's X-Amz-Signature, Azure SAS's sig=, a token= parameter). The URL is written in plain text
 * into the stack config and the Deployment's init container, so it must carry none.
 */
export function modelUrlCredential(url: string): string | undefined {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return undefined;
    }
    if (parsed.username !== "" || parsed.password !== "") return "a user or password before the host";
    const q = parsed.search.toLowerCase();
    if (/[?&]x-amz-signature=/.test(q)) return "a presigned S3 signature (X-Amz-Signature)";
    if (/[?&]sig=/.test(q)) return "a shared access signature (sig=)";
    if (/[?&](access_)?token=/.test(q)) return "a token (token=)";
    return undefined;
}

const pinned = (what: string) =>
    z.string({ error: what }).regex(PINNED_IMAGE, { error: "must be an image reference pinned to a tag or digest" }).refine((i) => !/:latest$/.test(i), { error: "must not use the tag latest" });

/**
 * `rasa:` (eksInf2, aksGpu): the Rasa server (`image`, pinned) with the trained model fetched from
 * `modelUrl` at start, and the action server built from images/rasa-actions (`actionsImage`),
 * whose action asks this stack's model. `modelUrl` must be a public https URL today: the program
 * has no storage credential for it, and a URL carrying one (user:password, a presigned or SAS
 * query) is refused because it would sit in plain text in the stack config and the Deployment.
 * `replicas` is 1: see RASA_REPLICAS_WHY.
 */
export const rasaSchema = z
    .strictObject(
        {
            image: pinned("must be a Rasa image pinned to a tag or digest"),
            actionsImage: pinned("must be the image built from images/rasa-actions, pinned"),
            modelUrl: z
                .string({ error: "must be a public https URL of a trained Rasa model (.tar.gz)" })
                .regex(/^https:\/\/[^\s'"$`\\]+\.tar\.gz(\?[^\s'"$`\\]*)?$/, { error: "must be an https URL of a trained Rasa model (.tar.gz)" })
                .superRefine((url, ctx) => {
                    const credential = modelUrlCredential(url);
                    if (credential) {
                        // The value is a credential: name what was found, never echo it.
                        ctx.addIssue({ code: "custom", input: "(not shown: it carries a credential)", message: `must be a public https URL without credentials; found ${credential}, which would sit in plain text in the stack config and the Deployment` });
                    }
                }),
            /** Replicas of the Rasa server and of the action server: 1 (see RASA_REPLICAS_WHY). @default 1 */
            replicas: int(1, 5)
                .default(1)
                .superRefine((n, ctx) => {
                    if (n > 1) ctx.addIssue({ code: "custom", input: n, message: `must be 1 (allowed: 1): ${RASA_REPLICAS_WHY}` });
                }),
        },
        { error: "must be an object { image, actionsImage, modelUrl, replicas }" },
    );

export type RasaConfig = z.infer<typeof rasaSchema>;
