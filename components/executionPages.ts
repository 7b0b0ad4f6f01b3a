import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { EXECUTION_EVENT_PATTERN, alarmTopicPolicy } from "../model/policies/regionSwitch";

export interface ExecutionPagesArgs {
    /** The EventBridge rule's name, in this (the dr) region. */
    readonly ruleName: string;
    /** The region's alarm topic (ReplicationAlarms), encrypted with a key that lets EventBridge publish. */
    readonly topicArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
}

/**
 * The Region switch plan's executions, paged: an EventBridge rule in the dr region on ARC Region switch's
 * execution events, sent to the region's alarm topic, so the approvers hear an execution waits at its
 * approval (the approval step notifies nobody). Best effort, as EventBridge delivers these events. Created in
 * normal times with the plan; the failover deploy changes none of it.
 */
export class ExecutionPages extends pulumi.ComponentResource {
    public readonly ruleArn: pulumi.Output<string>;

    constructor(name: string, args: ExecutionPagesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:ExecutionPages", name, {}, opts);
        const parent = { parent: this };
        const rule = new cloudwatch.EventRule(`${name}-rule`, {
            name: args.ruleName,
            description: "ARC Region switch plan executions of this region, paged to the alarm topic (best effort)",
            eventPattern: JSON.stringify(EXECUTION_EVENT_PATTERN),
        }, parent);
        const policy = new sns.TopicPolicy(`${name}-topic-policy`, {
            arn: args.topicArn,
            policy: pulumi.all([args.topicArn, args.accountId, rule.arn]).apply(([topic, account, ruleArn]) =>
                JSON.stringify(alarmTopicPolicy(topic, account, ruleArn))),
        }, parent);
        new cloudwatch.EventTarget(`${name}-target`, {
            rule: rule.name,
            arn: args.topicArn,
        }, { parent: this, dependsOn: [policy] });
        this.ruleArn = rule.arn;
        this.registerOutputs({ ruleArn: this.ruleArn });
    }
}
