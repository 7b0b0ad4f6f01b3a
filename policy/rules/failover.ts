// Failover detection and DNS: Route 53 health checks that detect a failed region within the tier's budget and
// are never inverted, and routed records that drop a failed region by themselves, quickly.
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { BUDGETS_IN_WORDS, DETECTION_CONFIG_SCHEMA, DetectionConfig, detectionBudget, tierOf } from "./detectionBudget";
import { UNKNOWN, isSet, list, peek, show } from "./props";
import { REF, TYPES } from "./types";

/** Route 53's request intervals and failure threshold range, and its defaults (docs/reference.md, "Route 53"). */
export const HEALTH_CHECK_INTERVALS = [10, 30];
export const DEFAULT_REQUEST_INTERVAL = 30;
export const DEFAULT_FAILURE_THRESHOLD = 3;
export const MAX_FAILURE_THRESHOLD = 10;
/** Health checks that probe an endpoint; CALCULATED / CLOUDWATCH_METRIC / RECOVERY_CONTROL ones have no interval. */
const ENDPOINT_CHECK_TYPES = ["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"];

export const healthCheckDetectionWithinTier: ResourceValidationPolicy = {
    name: "health-check-detection-within-tier",
    description:
        "Route 53 endpoint health checks use a request interval of 10 or 30 s and a failure threshold of 1-10 " +
        `(${REF}, "Route 53"), and interval x threshold, the time to detect a failed region, stays within the ` +
        `tier's budget: ${BUDGETS_IN_WORDS} (tier from the provider's dr:tier default tag). ` +
        "Detection is the first step of every failover, so it adds to the RTO one for one; active-active's whole " +
        `RTO is 30-90 s, of which "health check detects (10-30 s)" (${REF}, failover procedures).`,
    enforcementLevel: "mandatory",
    configSchema: DETECTION_CONFIG_SCHEMA,
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.healthCheck) {
            return;
        }
        const p = args.props;
        if (!ENDPOINT_CHECK_TYPES.includes(p.type)) {
            return;
        }
        const interval: unknown = p.requestInterval ?? DEFAULT_REQUEST_INTERVAL;
        const threshold: unknown = p.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
        let valid = true;
        if (typeof interval !== "number" || !HEALTH_CHECK_INTERVALS.includes(interval)) {
            report(`Route 53 health check ${args.name}: requestInterval ${show(interval)} must be 10 or 30 s.`);
            valid = false;
        }
        if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < 1 || threshold > MAX_FAILURE_THRESHOLD) {
            report(`Route 53 health check ${args.name}: failureThreshold ${show(threshold)} must be a whole number from 1 to ${MAX_FAILURE_THRESHOLD}.`);
            valid = false;
        }
        if (!valid) {
            return;
        }
        const tier = tierOf(args.provider, p);
        const budget = detectionBudget(tier, args.getConfig<DetectionConfig>());
        const detection = (interval as number) * (threshold as number);
        if (detection > budget) {
            report(`Route 53 health check ${args.name}: detects a failure after ${interval} s x ${threshold} = ${detection} s, ` +
                `over the ${budget} s budget of the ${tier ?? "default"} tier; detection is the first RTO step.`);
        }
    },
};

export const healthChecksNeverInverted: ResourceValidationPolicy = {
    name: "health-checks-never-inverted",
    description:
        "No Route 53 health check is inverted or disabled: an inverted check reports a dead endpoint as healthy, and " +
        `a disabled one is always healthy (${REF}, "Control planes and data planes"), so either ` +
        "keeps a lost region in DNS. Fencing a region is the dr region's alarm's job (the traffic fence), not its check's.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.healthCheck) {
            return;
        }
        for (const key of ["invertHealthcheck", "disabled"]) {
            if (args.props[key] === true) {
                report(`Route 53 health check ${args.name}: ${key} is true, so a dead endpoint can count as healthy; ` +
                    "take a region out with the traffic fence (docs/deploying.md, \"The traffic fence\").");
            }
        }
    },
};

/** Failover DNS: TTL of 60 s or less (docs/reference.md, "Route 53"). */
export const MAX_ROUTED_TTL_SECONDS = 60;
const ROUTING_POLICIES = ["failoverRoutingPolicies", "latencyRoutingPolicies", "weightedRoutingPolicies"];

/**
 * A link of a failover tree (three or more regions, docs/regions.md): an alias to a record set of the same hosted zone
 * with Evaluate Target Health on. It needs no check of its own: Route 53 answers with it only while a record of the
 * level below is healthy, each with its own check (Route 53 Developer Guide, "How health checks work in complex
 * Amazon Route 53 configurations"; ${REF}, "Region sets (three or more regions)").
 */
function linksLevelBelow(p: Record<string, unknown>): boolean {
    const alias = list(p, "aliases")[0] as { zoneId?: unknown; evaluateTargetHealth?: unknown } | undefined;
    return alias !== undefined && alias.evaluateTargetHealth === true && isSet(alias.zoneId) && alias.zoneId === p.zoneId;
}

export const routedRecordsFailOverFast: ResourceValidationPolicy = {
    name: "routed-records-fail-over-fast",
    description:
        "A Route 53 record with a failover, latency or weighted routing policy has a health check (healthCheckId), " +
        `so a failed region drops out of DNS by itself, on Route 53's data plane (${REF}, "Route 53"), and a TTL ` +
        "of 60 s or less, since resolvers keep serving the failed region for the TTL. An alias record (no TTL of " +
        "its own) passes: an alias to an ELB takes the ELB's 60 s. A failover tree's link (an alias to a record set of the " +
        "same zone, Evaluate Target Health on) needs no check of its own: the level below has them.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.record) {
            return;
        }
        const p = args.props;
        const policies = ROUTING_POLICIES.filter((key) => list(p, key).length > 0 || peek(p, key) === UNKNOWN);
        if (policies.length === 0) {
            return;
        }
        const routing = policies.map((k) => k.replace("RoutingPolicies", "")).join("/");
        // An alias record has no ttl (resolvers get its target's, the ELB's 60 s), so only plain records are checked.
        if (typeof p.ttl === "number" && p.ttl > MAX_ROUTED_TTL_SECONDS) {
            report(`Route 53 record ${args.name} (${routing} routing): ttl ${p.ttl} s is over ${MAX_ROUTED_TTL_SECONDS} s; ` +
                "resolvers would keep sending users to a failed region that long.");
        }
        if (!isSet(peek(p, "healthCheckId")) && !linksLevelBelow(p)) {
            report(`Route 53 record ${args.name} (${routing} routing) has no healthCheckId: Route 53 can't take a failed region out by itself.`);
        }
    },
};
