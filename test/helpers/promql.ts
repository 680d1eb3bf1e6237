import { parser } from "@prometheus-io/lezer-promql";
import { exportedMetricNames, MetricServer, SCRAPER_METRICS } from "../../components/observability/signals";

/**
 * Metric names a PromQL expression selects, read with Prometheus's own grammar (lezer-promql,
 * the parser of Prometheus's UI): the Identifier of every VectorSelector. A syntax error throws.
 */
export function selectedMetrics(expr: string): string[] {
    const tree = parser.parse(expr);
    const names: string[] = [];
    let error: number | undefined;
    tree.iterate({
        enter(node) {
            if (node.type.isError) error = node.from;
            if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") names.push(expr.slice(node.from, node.to));
        },
    });
    if (error !== undefined) throw new Error(`PromQL syntax error at ${error} in: ${expr}`);
    return names;
}

/** Names an expression selects that the pinned server does not export (nor the scraper writes). */
export function unknownMetrics(server: MetricServer, expr: string): string[] {
    const known = exportedMetricNames(server);
    return selectedMetrics(expr).filter((m) => !known.has(m) && !SCRAPER_METRICS.has(m));
}
