import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { FENCE_TREAT_MISSING_DATA, FenceSpec } from "../model/fence";

export interface TrafficFenceArgs {
    /** The fence: its alarm's name, metric and dimensions (model/fence.ts, `fenceOf`). */
    readonly fence: FenceSpec;
    /** The set identifier of the record it fences, for the alarm's description. */
    readonly fencedRecord: string;
    /** Told when the fence closes and opens: the region's alarm topic and the forwarded ones. */
    readonly alarmActions?: pulumi.Input<string>[];
}

/**
 * The alarm, in the region that recovers, that fences the primary region's DNS record (model/fence.ts):
 * ALARM takes the record out of Route 53's answers, OK lets it back. The runbook closes and opens it with
 * regional CloudWatch calls here; its state is not an input of this resource, so no `pulumi up` or
 * refresh of either stack can revert what the runbook did.
 */
export class TrafficFence extends pulumi.ComponentResource {
    public readonly alarmName: pulumi.Output<string>;
    public readonly alarmArn: pulumi.Output<string>;

    constructor(name: string, args: TrafficFenceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:TrafficFence", name, {}, opts);
        const f = args.fence;
        const actions = args.alarmActions === undefined ? {} : { alarmActions: args.alarmActions, okActions: args.alarmActions };
        const alarm = new cloudwatch.MetricAlarm(`${name}-alarm`, {
            name: f.alarmName,
            alarmDescription: `Traffic fence of the ${args.fencedRecord} record: ALARM keeps it out of DNS ` +
                "(closed by the failover runbook, opened by its failback)",
            namespace: f.namespace,
            metricName: f.metricName,
            dimensions: { ...f.dimensions },
            // Standard resolution and the Maximum statistic: what Route 53's alarm checks accept.
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: FENCE_TREAT_MISSING_DATA,
            ...actions,
        }, { parent: this });
        this.alarmName = alarm.name;
        this.alarmArn = alarm.arn;
        this.registerOutputs({ alarmName: this.alarmName });
    }
}
