// The traffic fence: how the recovering region takes the old primary out of DNS with no call to the lost
// region or to Route 53's control plane (docs/reference.md, "Control planes and data planes"). The primary's record is healthy only while a CALCULATED health check is: both its endpoint's
// check and a CLOUDWATCH_METRIC check on an alarm in the dr region. Closing the fence is a regional
// CloudWatch call in the dr region (a datapoint of FenceClosed = 1, and the alarm set to ALARM); Route 53's
// health checkers read the alarm, which is data plane. So the fence:
//   - keeps a dead primary out (its endpoint check fails whatever the fence says);
//   - takes a live primary out for a planned switchover (its endpoint is healthy, the fence is closed);
//   - keeps a primary that comes back half-healthy out until failback opens the fence.
// Its state is the alarm's, which is not an input of any resource: no `pulumi up` or refresh can revert it.
import { regionNames } from "./naming";

/** CloudWatch namespace and metric of the fence's datapoints: 1 closed, 0 open. */
export const FENCE_NAMESPACE = "multi-region-dr";
export const FENCE_METRIC = "FenceClosed";

/**
 * Missing datapoints keep the alarm's state ("ignore"): a fence stays as the runbook left it, however long
 * ago. For the health check, an alarm without data counts as the last status Route 53 saw, and as healthy
 * (open) before it ever had one (Route 53 API reference, HealthCheckConfig.InsufficientDataHealthStatus: "For new
 * health checks that have no last known status, the default status for the health check is healthy";
 * docs/reference.md, "Control planes and data planes", names the setting).
 */
export const FENCE_TREAT_MISSING_DATA = "ignore";
export const FENCE_INSUFFICIENT_DATA_STATUS = "LastKnownStatus";

export interface FenceSpec {
    /** The alarm's name: `<app>-<fenced region code>-traffic-fence`, the same from both stacks. */
    readonly alarmName: string;
    /** The region the alarm lives in: the one that recovers (dr:drRegion). */
    readonly alarmRegion: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
}

/**
 * The fence of `fencedRegion`'s record, held in `alarmRegion`: the same spec for the stack that creates the
 * alarm, the stack whose health check reads it and the runbook that flips it.
 */
export function fenceOf(appName: string, fencedRegion: string, alarmRegion: string): FenceSpec {
    const fenced = regionNames(appName, fencedRegion);
    return {
        alarmName: fenced.fenceAlarm,
        alarmRegion,
        namespace: FENCE_NAMESPACE,
        metricName: FENCE_METRIC,
        dimensions: { App: appName, Record: fenced.dnsSetIdentifier },
    };
}
