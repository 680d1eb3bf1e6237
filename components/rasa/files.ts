import { parse, stringify } from "yaml";

/**
 * Rasa's own configuration files for the Rasa server beside the model (issue: Rasa as a CPU
 * microservice that uses the model endpoint as its LLM through a custom action).
 *
 * Documented keys, Rasa Open Source 3.6 (rasa.com/docs/rasa/model-storage, /action-server,
 * /tracker-stores, /event-brokers, /lock-stores, /nlg, /messaging-and-voice-channels):
 * endpoints.yml's top-level sections are action_endpoint, models, tracker_store, event_broker,
 * lock_store and nlg (nlu for a separate NLU server); action_endpoint takes url (and, from 3.x, the
 * optional cafile, token, token_name). credentials.yml is one section per channel; the REST channel
 * (`rest`) takes no settings ("you don't need to provide anything here"): its webhook is
 * /webhooks/rest/webhook, so its token check is the route guard's, in front of Rasa.
 */
export const RASA_ENDPOINT_SECTIONS = ["action_endpoint", "models", "tracker_store", "event_broker", "lock_store", "nlg", "nlu"] as const;
export const RASA_ACTION_ENDPOINT_KEYS = ["url", "cafile", "token", "token_name"] as const;
export const RASA_CHANNELS = ["rest", "socketio", "callback", "facebook", "slack", "telegram", "twilio", "mattermost", "rocketchat", "botframework", "cisco_webex", "hangouts", "microsoft_bot", "rasa"] as const;
/** Rasa's REST channel webhook (the only route the guard forwards to Rasa). */
export const RASA_REST_WEBHOOK = "/webhooks/rest/webhook";
/** The action server's default port and its webhook route. */
export const RASA_ACTIONS_PORT = 5055;

/** endpoints.yml: the action server inside the cluster; the model itself is loaded from a file (--model), so no `models` poll. */
export function rasaEndpointsYml(actionServerHost: string): string {
    return stringify({ action_endpoint: { url: `http://${actionServerHost}:${RASA_ACTIONS_PORT}/webhook` } });
}

/** credentials.yml: the REST channel only. */
export function rasaCredentialsYml(): string {
    return stringify({ rest: null });
}

/** What in a generated file Rasa does not document: unknown sections or keys, wrong shapes. */
export function rasaFileProblems(file: "endpoints.yml" | "credentials.yml", text: string): string[] {
    const doc = parse(text) as unknown;
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return [`${file}: must be a mapping`];
    const problems: string[] = [];
    const entries = Object.entries(doc as Record<string, unknown>);
    if (file === "endpoints.yml") {
        for (const [section, value] of entries) {
            if (!(RASA_ENDPOINT_SECTIONS as readonly string[]).includes(section)) problems.push(`${file}: unknown section ${section}`);
            if (section === "action_endpoint") {
                if (value === null || typeof value !== "object") {
                    problems.push(`${file}: action_endpoint must be a mapping with url`);
                    continue;
                }
                const v = value as Record<string, unknown>;
                for (const k of Object.keys(v)) if (!(RASA_ACTION_ENDPOINT_KEYS as readonly string[]).includes(k)) problems.push(`${file}: action_endpoint.${k} is not a documented key`);
                if (typeof v.url !== "string" || !/^https?:\/\/[^/]+(:\d+)?\/webhook$/.test(v.url)) problems.push(`${file}: action_endpoint.url must be http(s)://<host>:<port>/webhook`);
            }
        }
    } else {
        for (const [channel, value] of entries) {
            if (!(RASA_CHANNELS as readonly string[]).includes(channel)) problems.push(`${file}: unknown channel ${channel}`);
            if (channel === "rest" && value !== null) problems.push(`${file}: rest takes no settings`);
        }
    }
    return problems;
}
