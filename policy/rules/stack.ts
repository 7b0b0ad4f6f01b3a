// Reading the stack, shared by the stack policies of several concerns: the resources of a type, which
// resource names which bucket, which alarms watch a metric, which cluster is a global database's secondary.
import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { Peeked, UNKNOWN, isSet, list, peek } from "./props";
import { TYPES } from "./types";

/** The stack's resources of the given types. */
export function ofType(args: StackValidationArgs, ...types: string[]): PolicyResource[] {
    return args.resources.filter((r) => types.includes(r.type));
}

/**
 * Whether `resource` names this bucket in its input `prop` (at `path` inside it): the engine's property
 * dependencies say so directly (preview included, while the bucket's id is unknown); otherwise the value is
 * the bucket's id, which for S3 is the bucket's name.
 */
function refersTo(resource: PolicyResource, bucket: PolicyResource, prop: string, ...path: string[]): boolean {
    if ((resource.propertyDependencies?.[prop] ?? []).some((dep) => dep.urn === bucket.urn)) {
        return true;
    }
    const target = peek(resource.props, prop, ...path);
    if (typeof target !== "string") {
        return false;
    }
    return [peek(bucket.props, "bucket"), peek(bucket.props, "id")].some((id) => typeof id === "string" && id === target);
}

/** Whether a bucket configuration (encryption, policy, logging) is for this bucket: its `bucket` input. */
export function configures(config: PolicyResource, bucket: PolicyResource): boolean {
    return refersTo(config, bucket, "bucket");
}

/** A bucket that receives access logs: an ALB's accessLogs.bucket or a bucket logging's targetBucket. */
export function receivesLogs(args: StackValidationArgs, bucket: PolicyResource): boolean {
    return ofType(args, ...TYPES.loadBalancers).some((lb) => refersTo(lb, bucket, "accessLogs", "bucket"))
        || ofType(args, ...TYPES.bucketLogging).some((logging) => refersTo(logging, bucket, "targetBucket"));
}

/** The CloudWatch metrics an alarm watches: its metricName, or those of its metric-math queries. */
function watchedMetrics(alarm: PolicyResource): { namespace: Peeked; metricName: Peeked; dimensions: Peeked }[] {
    const metrics = [{
        namespace: peek(alarm.props, "namespace"),
        metricName: peek(alarm.props, "metricName"),
        dimensions: peek(alarm.props, "dimensions"),
    }];
    for (const query of list(alarm.props, "metricQueries")) {
        metrics.push({
            namespace: peek(query, "metric", "namespace"),
            metricName: peek(query, "metric", "metricName"),
            dimensions: peek(query, "metric", "dimensions"),
        });
    }
    return metrics;
}

/** Both known and different: the only case in which two references certainly name different things. */
function differ(a: Peeked, b: Peeked): boolean {
    return a !== UNKNOWN && b !== UNKNOWN && a !== undefined && b !== undefined && a !== b;
}

/** Alarms on `namespace`/`metricName` whose `dimension` (when both are known) is `value`. */
export function alarmsOn(args: StackValidationArgs, namespace: string, metricName: string, dimension: string, value: Peeked): PolicyResource[] {
    return ofType(args, TYPES.alarm).filter((alarm) => watchedMetrics(alarm).some((m) =>
        m.namespace === namespace && m.metricName === metricName && !differ(peek(m.dimensions, dimension), value)));
}

/**
 * A cluster that is a global database's secondary: it names a global cluster it did not create (no
 * GlobalCluster in this stack) and has no master password (a secondary's credentials are the writer's).
 */
export function isGlobalSecondary(cluster: PolicyResource, stack: readonly PolicyResource[]): boolean {
    return isSet(peek(cluster.props, "globalClusterIdentifier"))
        && !isSet(peek(cluster.props, "masterPassword"))
        && !stack.some((r) => r.type === TYPES.globalCluster);
}
