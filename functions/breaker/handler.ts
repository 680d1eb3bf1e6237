// One run of the breaker: parse the notification, read the stack's groups, decide, lower, and
// report what changed (the function's log line, which the alert links to). The entry points of
// each cloud's function (Cloud Function, Lambda, Azure Function) call `handle` with their
// payload, parser and adapters; the cloud SDK clients are built there.
import { BreakerSettings, decide, stateLabels, Step } from "./decide";
import type { GroupAdapter } from "./adapters";
import type { Parsed } from "./notification";

export interface Outcome {
    readonly acted: boolean;
    readonly steps: ReadonlyArray<{ id: string; kind: string; from: number; to: number; state: string }>;
    readonly ignored?: string;
}

export async function handle(
    parsed: Parsed,
    adapters: ReadonlyArray<GroupAdapter>,
    settings: BreakerSettings,
    log: (line: string) => void,
    now: () => Date = () => new Date(),
): Promise<Outcome> {
    if (!parsed.ok) {
        log(`llm-serving breaker: ignored a malformed notification: ${parsed.reason}`);
        return { acted: false, steps: [], ignored: parsed.reason };
    }
    const n = parsed.notification;
    const groups = (await Promise.all(adapters.map((a) => a.list()))).flat();
    const at = now();
    const steps = decide(n, groups, settings, at);
    const done: Step[] = [];
    for (const step of steps) {
        const adapter = adapters.find((a) => a.kind === step.group.kind);
        if (!adapter) continue;
        await adapter.apply(step, stateLabels(step, at));
        done.push(step);
    }
    const summary = done.map((s) => ({ id: s.group.id, kind: s.group.kind, from: s.from, to: s.to, state: s.state }));
    log(
        done.length === 0
            ? `llm-serving breaker: ${n.cloud} budget ${n.budget} ${n.forecast ? "forecast" : "actual"} ${n.thresholdPercent.toFixed(0)}%: nothing to do`
            : `llm-serving breaker TRIPPED: ${n.cloud} budget ${n.budget} forecast ${n.thresholdPercent.toFixed(0)}% (${n.amount} of ${n.budgetAmount}); ` +
                  summary.map((s) => `${s.kind} ${s.id} max ${s.from} -> ${s.to}`).join("; ") +
                  ". The next pulumi up --refresh restores the declared bounds (a human decision).",
    );
    return { acted: done.length > 0, steps: summary };
}
