// GET a JSON document with Node's global fetch, a timeout, and errors that say which source failed
// and why. API keys in the URL never reach an error message.
export type GetJson = (url: string) => Promise<unknown>;

export class FetchError extends Error {}

/** The URL with the value of any `key` query parameter replaced by "***". */
export function redact(url: string): string {
    return url.replace(/([?&]key=)[^&]*/g, "$1***");
}

export function httpGetJson(timeoutMs: number): GetJson {
    return async (url) => {
        let res: Response;
        try {
            res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
        } catch (e) {
            const err = e as Error & { cause?: { code?: string; message?: string } };
            const why =
                err.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000}s` : (err.cause?.code ?? err.cause?.message ?? err.message);
            throw new FetchError(`GET ${redact(url)} failed: ${why}`);
        }
        if (!res.ok) {
            const body = (await res.text().catch(() => "")).slice(0, 300);
            throw new FetchError(`GET ${redact(url)} returned HTTP ${res.status} ${res.statusText}${body ? `: ${redact(body)}` : ""}`);
        }
        try {
            return await res.json();
        } catch (e) {
            throw new FetchError(`GET ${redact(url)} did not return JSON: ${(e as Error).message}`);
        }
    };
}
