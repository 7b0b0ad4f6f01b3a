import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { emailSubscriptionName } from "../model/naming";

/**
 * Aurora global replication lag typically stays under 1 s (docs/reference.md, "Aurora"); sustained
 * lag well above that is the RPO growing, so the alarm fires at 5 s held for 3 minutes.
 */
export const AURORA_LAG_THRESHOLD_MS = 5000;
/** S3 RTC promises 15 minutes (900 s); replication latency at that level breaks the promise. */
export const S3_LATENCY_THRESHOLD_SECONDS = 900;

export interface S3ReplicationWatch {
    readonly sourceBucket: pulumi.Input<string>;
    readonly destinationBucket: pulumi.Input<string>;
    readonly ruleId: string;
    /** The destination's region: it names the alarms of every destination but the first. */
    readonly destinationRegion: string;
}

export interface ReplicationAlarmsArgs {
    readonly topicName: string;
    /** The region's data key: the topic is encrypted with it (its key policy lets CloudWatch publish). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Addresses subscribed to the topic (`dr:alarmEmails`); each confirms once, from the email AWS sends. */
    readonly emails?: readonly string[];
    /** Topics of this region every alarm notifies too (`dr:alarmTopicArns`): SNS cannot subscribe a topic to a topic. */
    readonly forwardTo?: readonly string[];
    /** The lag alarm's name: deterministic, so the Region switch plan can associate it by ARN. */
    readonly auroraLagAlarmName?: string;
    /** The secondary cluster whose `AuroraGlobalDBReplicationLag` to watch (published in its region). */
    readonly auroraSecondaryClusterId?: pulumi.Input<string>;
    /** The source bucket's replication rules, one per destination (their metrics are published in the source region). */
    readonly s3Replication?: readonly S3ReplicationWatch[];
}

/**
 * The region's alarm topic (encrypted, with its email subscribers) and its replication-lag alarms, which notify
 * the topic and the team's own topics. Each metric is published in one region only, so each stack
 * alarms on what its own region reports: the dr stack on Aurora lag, the prod stack on S3 replication.
 */
export class ReplicationAlarms extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    /** What every alarm of the region notifies: the topic, then the forwarded topics. */
    public readonly alarmActions: pulumi.Output<string>[];
    public readonly alarmNames: pulumi.Output<string[]>;
    /** The Aurora lag alarm, where there is one. */
    public readonly auroraLagAlarmArn?: pulumi.Output<string>;

    constructor(name: string, args: ReplicationAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:ReplicationAlarms", name, {}, opts);
        const parent = { parent: this };
        const topic = new sns.Topic(`${name}-topic`, { name: args.topicName, kmsMasterKeyId: args.kmsKeyArn }, parent);
        for (const email of args.emails ?? []) {
            // Named by the address, so removing one address leaves the others' subscriptions alone.
            new sns.TopicSubscription(emailSubscriptionName(name, email), { topic: topic.arn, protocol: "email", endpoint: email }, parent);
        }
        const notify = [topic.arn, ...(args.forwardTo ?? []).map((arn) => pulumi.output(arn))];
        const actions = { alarmActions: notify, okActions: notify };
        const alarms: cloudwatch.MetricAlarm[] = [];

        if (args.auroraSecondaryClusterId !== undefined) {
            const lag = new cloudwatch.MetricAlarm(`${name}-aurora-lag`, {
                ...(args.auroraLagAlarmName ? { name: args.auroraLagAlarmName } : {}),
                alarmDescription: "Aurora global database replication lag (the RPO of an unplanned failover)",
                namespace: "AWS/RDS",
                metricName: "AuroraGlobalDBReplicationLag",
                dimensions: { DBClusterIdentifier: args.auroraSecondaryClusterId },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 3,
                threshold: AURORA_LAG_THRESHOLD_MS,
                comparisonOperator: "GreaterThanThreshold",
                // No data means replication is not reporting: as alarming as lag.
                treatMissingData: "breaching",
                ...actions,
            }, parent);
            alarms.push(lag);
            this.auroraLagAlarmArn = lag.arn;
        }
        (args.s3Replication ?? []).forEach((watch, i) => {
            // The first destination's alarms keep a pair's names; each further one's carry its region.
            const suffix = i === 0 ? "" : `-${watch.destinationRegion}`;
            const dimensions = { SourceBucket: watch.sourceBucket, DestinationBucket: watch.destinationBucket, RuleId: watch.ruleId };
            alarms.push(new cloudwatch.MetricAlarm(`${name}-s3-latency${suffix}`, {
                alarmDescription: "S3 replication latency beyond the RTC 15-minute promise",
                namespace: "AWS/S3",
                metricName: "ReplicationLatency",
                dimensions,
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 1,
                threshold: S3_LATENCY_THRESHOLD_SECONDS,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                ...actions,
            }, parent));
            alarms.push(new cloudwatch.MetricAlarm(`${name}-s3-failures${suffix}`, {
                alarmDescription: i === 0 ? "S3 objects that failed to replicate to the DR region" : `S3 objects that failed to replicate to ${watch.destinationRegion}`,
                namespace: "AWS/S3",
                metricName: "OperationsFailedReplication",
                dimensions,
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                ...actions,
            }, parent));
        });

        this.topicArn = topic.arn;
        this.alarmActions = notify;
        this.alarmNames = pulumi.all(alarms.map((a) => a.name));
        this.registerOutputs({ topicArn: this.topicArn, alarmNames: this.alarmNames });
    }
}
