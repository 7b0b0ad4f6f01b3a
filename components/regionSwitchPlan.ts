import * as arcregionswitch from "@pulumi/aws/arcregionswitch";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import type { FenceSpec } from "../model/fence";
import type { CacheSize } from "../model/regionPlan";
import {
    LAMBDA_RUNTIME, RegionSwitchTargets, cacheActionEnvironment, fenceActionEnvironment, regionSwitchPlan, rtoMinutes,
} from "../model/regionSwitch";
import { cacheLambdaPolicy, executionRolePolicy, fenceLambdaPolicy, globalDatastoreArn } from "../model/policies/regionSwitch";
import type { TierSpec } from "../model/tiers/tierSpec";
import { serviceTrustPolicy } from "../model/policies/iamPolicy";
import { LAMBDA_HANDLER, functionArchive } from "./functionCode";
import { planRoles } from "./planRoles";
import { FunctionLogs, functionLogGroup } from "./functionLogGroup";

/** The tag a portfolio's child plan carries: the portfolio stack that runs it. */
export const PORTFOLIO_TAG = "dr:portfolio";

/** Every input of the plan and of the execution role's policy: what `frozen` keeps as it is. */
const PLAN_INPUTS = ["associatedAlarms", "description", "executionRole", "name", "primaryRegion", "recoveryApproach",
    "recoveryTimeObjectiveMinutes", "regions", "reportConfigurations", "tags", "triggers", "workflows"];

export interface RegionSwitchPlanArgs {
    readonly planName: string;
    /** IAM names (global: each carries the region code). */
    readonly roleNames: { readonly execution: string; readonly approval: string; readonly fence: string; readonly cache: string };
    /** Names of the custom actions' functions, in this (the dr) region. */
    readonly functionNames: { readonly fenceClose: string; readonly fenceOpen: string; readonly cache: string };
    readonly accountId: pulumi.Input<string>;
    readonly primaryRegion: string;
    readonly drRegion: string;
    /** `dr:approverArns`: who may assume the approval role. */
    readonly approverArns: readonly string[];
    readonly tier: Pick<TierSpec, "failover" | "failoverAfter" | "failback" | "bothRegionsServe">;
    /** Both regions' Auto Scaling groups, primary first. */
    readonly asgArns: readonly [pulumi.Input<string>, pulumi.Input<string>];
    readonly aurora?: { readonly globalClusterIdentifier: string; readonly clusterArns: readonly [pulumi.Input<string>, pulumi.Input<string>] };
    readonly fence: FenceSpec;
    readonly fenceAlarmArn: pulumi.Input<string>;
    /**
     * The dr region's cache and the size a failover gives it (warm standby); for a Global Datastore member, the
     * datastore it leaves instead.
     */
    readonly cache?: {
        readonly replicationGroupId: string; readonly arn: pulumi.Input<string>; readonly target: CacheSize; readonly globalDatastoreId?: string;
    };
    /** Associated as application health: the canaries' alarms and the replication-lag alarm. */
    readonly healthAlarms: readonly { readonly name: string; readonly arn: pulumi.Input<string> }[];
    /**
     * dr:autoFailover auto: the detector's alarm and the fence's, associated as trigger alarms; the failover
     * workflow then starts on the trigger (model/regionSwitch.ts, autoFailoverTrigger), with no approval.
     */
    readonly autoTrigger?: {
        readonly detector: { readonly name: string; readonly arn: pulumi.Input<string> };
        readonly fence: { readonly name: string; readonly arn: pulumi.Input<string> };
    };
    /** Where executions write their reports: a bucket of the dr region. */
    readonly report: { readonly bucketName: pulumi.Input<string>; readonly bucketArn: pulumi.Input<string>; readonly prefix: string };
    readonly rtoTargetSeconds: number;
    /** dr:portfolio: the portfolio whose parent plan runs this one as its child; then no approval step of its own. */
    readonly portfolio?: string;
    /**
     * The dr stack with `dr:failover=true`: the plan and its role's policy are kept exactly as they are. A plan
     * is edited through the control plane in us-east-1, and its inputs name the primary's Auto Scaling group.
     */
    readonly frozen: boolean;
    /** The custom actions' log groups: encrypted with the dr region's key, kept `dr:logRetentionDays`. */
    readonly logs: FunctionLogs;
}

/**
 * The pair's ARC Region switch plan: the tier's failover and failback as two workflows (model/regionSwitch.ts),
 * the roles that run and approve them, and the custom actions that close and open the traffic fence and resize
 * the cache, in the dr region. Created and changed in normal times only.
 */
export class RegionSwitchPlan extends pulumi.ComponentResource {
    public readonly planArn: pulumi.Output<string>;
    public readonly approvalRoleArn: pulumi.Output<string>;

    constructor(name: string, args: RegionSwitchPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:RegionSwitchPlan", name, {}, opts);
        const { close, open, cacheFunction } = this.customActions(name, args);

        const roles = planRoles(name, {
            roleNames: args.roleNames, approverArns: args.approverArns,
            approvalDescription: "ARC Region switch: whoever assumes this role approves the failover (the decision authority)",
        }, this);
        const { approval, execution } = roles;
        const frozen = args.frozen ? { ignoreChanges: PLAN_INPUTS } : {};
        const aurora = args.aurora === undefined ? pulumi.output(undefined)
            : pulumi.all([...args.aurora.clusterArns]).apply(([primaryCluster, drCluster]) =>
                ({ globalClusterIdentifier: args.aurora!.globalClusterIdentifier, clusterArns: [primaryCluster, drCluster] as const }));
        const executionPolicy = new iam.RolePolicy(`${name}-execution-policy`, {
            role: execution.id,
            policy: pulumi.all([aurora, args.accountId, ...args.asgArns, close.arn, open.arn, cacheFunction?.arn ?? "", pulumi.output(args.report.bucketArn),
                ...[...args.healthAlarms, ...(args.autoTrigger ? [args.autoTrigger.detector, args.autoTrigger.fence] : [])].map((a) => a.arn)]).apply(([auroraTargets, accountId, primaryAsg, drAsg, closeArn, openArn, cacheArn, bucketArn, ...alarmArns]) =>
                JSON.stringify(executionRolePolicy({
                    accountId: accountId as string, asgArns: [primaryAsg as string, drAsg as string], aurora: auroraTargets as RegionSwitchTargets["aurora"], lambdaArns: [closeArn, openArn, cacheArn].filter((a): a is string => typeof a === "string" && a !== ""),
                    alarmArns: alarmArns as string[], reportBucketArn: bucketArn as string, reportPrefix: args.report.prefix,
                }))),
        }, { parent: this, ...(args.frozen ? { ignoreChanges: ["policy"] } : {}) });

        const spec = pulumi.all([aurora, ...args.asgArns, close.arn, open.arn, cacheFunction?.arn ?? "", approval.arn]).apply(
            ([auroraTargets, primaryAsg, drAsg, closeArn, openArn, cacheArn, approvalArn]) => {
                const targets: RegionSwitchTargets = {
                    primaryRegion: args.primaryRegion, drRegion: args.drRegion, approvalRoleArn: approvalArn as string,
                    asgArns: [primaryAsg as string, drAsg as string], aurora: auroraTargets as RegionSwitchTargets["aurora"],
                    fenceCloseLambdaArn: closeArn as string, fenceOpenLambdaArn: openArn as string, cacheLambdaArn: cacheArn === "" ? undefined : cacheArn as string,
                };
                return regionSwitchPlan(args.tier, targets,
                    args.autoTrigger && { detector: args.autoTrigger.detector.name, fence: args.autoTrigger.fence.name }, { child: args.portfolio !== undefined });
            });
        const plan = new arcregionswitch.Plan(`${name}-plan`, {
            name: args.planName,
            description: "multi-region-dr: the tier's failover and failback (the runbook's steps as execution blocks)",
            // A portfolio's child says so where the policy pack can read it (policy/rules/operations.ts).
            ...(args.portfolio !== undefined ? { tags: { [PORTFOLIO_TAG]: args.portfolio } } : {}),
            executionRole: execution.arn,
            recoveryApproach: spec.recoveryApproach,
            regions: [args.primaryRegion, args.drRegion],
            primaryRegion: args.primaryRegion,
            recoveryTimeObjectiveMinutes: rtoMinutes(args.rtoTargetSeconds),
            workflows: spec.apply((s) => [s.failover.workflow, s.failback.workflow] as any),
            associatedAlarms: [
                ...args.healthAlarms.map((a) => ({ mapBlockKey: a.name, alarmType: "applicationHealth", resourceIdentifier: a.arn })),
                ...(args.autoTrigger ? [args.autoTrigger.detector, args.autoTrigger.fence]
                    .map((a) => ({ mapBlockKey: a.name, alarmType: "trigger", resourceIdentifier: a.arn })) : []),
            ],
            ...(args.autoTrigger ? { triggers: spec.apply((s) => (s.triggers ?? []) as any) } : {}),
            reportConfigurations: [{
                reportOutputs: [{
                    s3Configurations: [{
                        bucketPath: pulumi.interpolate`${args.report.bucketName}/${args.report.prefix.replace(/\/$/, "")}`,
                        bucketOwner: args.accountId,
                    }],
                }],
            }],
        }, { parent: this, dependsOn: [executionPolicy], ...frozen });

        roles.approveOnly(plan.arn);

        this.planArn = plan.arn;
        this.approvalRoleArn = approval.arn;
        this.registerOutputs({ planArn: this.planArn, approvalRoleArn: this.approvalRoleArn });
    }

    /**
     * The custom actions: the fence's close and open (one code, functions/fence.ts; the environment says which
     * fence and which way) and, where the tier warms the cache, its resize; each with its role and its log group.
     */
    private customActions(name: string, args: RegionSwitchPlanArgs): { close: lambda.Function; open: lambda.Function; cacheFunction?: lambda.Function } {
        const parent = { parent: this };
        const lambdaTrust = JSON.stringify(serviceTrustPolicy("lambda.amazonaws.com"));
        const logs = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

        const fenceRole = new iam.Role(`${name}-fence-role`, { name: args.roleNames.fence, assumeRolePolicy: lambdaTrust }, parent);
        new iam.RolePolicyAttachment(`${name}-fence-logs`, { role: fenceRole.name, policyArn: logs }, parent);
        new iam.RolePolicy(`${name}-fence-policy`, {
            role: fenceRole.id,
            policy: pulumi.output(args.fenceAlarmArn).apply((arn) => JSON.stringify(fenceLambdaPolicy(args.fence, arn))),
        }, parent);
        const fenceCode = functionArchive("fence");
        // Each function's log group first, so Lambda does not create it unencrypted and kept forever.
        const fenceFunction = (id: string, functionName: string, closed: boolean) => new lambda.Function(`${name}-${id}`, {
            name: functionName,
            runtime: LAMBDA_RUNTIME,
            handler: LAMBDA_HANDLER,
            role: fenceRole.arn,
            timeout: 60,
            code: fenceCode,
            environment: { variables: fenceActionEnvironment(args.fence, closed) },
        }, { parent: this, dependsOn: [functionLogGroup(`${name}-${id}-logs`, functionName, args.logs, parent)] });
        const close = fenceFunction("fence-close", args.functionNames.fenceClose, true);
        const open = fenceFunction("fence-open", args.functionNames.fenceOpen, false);

        let cacheFunction: lambda.Function | undefined;
        if (args.cache) {
            const cache = args.cache;
            const cacheRole = new iam.Role(`${name}-cache-role`, { name: args.roleNames.cache, assumeRolePolicy: lambdaTrust }, parent);
            new iam.RolePolicyAttachment(`${name}-cache-logs`, { role: cacheRole.name, policyArn: logs }, parent);
            new iam.RolePolicy(`${name}-cache-policy`, {
                role: cacheRole.id,
                policy: pulumi.all([cache.arn, args.accountId]).apply(([arn, accountId]) => JSON.stringify(cacheLambdaPolicy(arn,
                    cache.globalDatastoreId === undefined ? undefined : globalDatastoreArn(accountId, cache.globalDatastoreId)))),
            }, parent);
            cacheFunction = new lambda.Function(`${name}-cache`, {
                name: args.functionNames.cache,
                runtime: LAMBDA_RUNTIME,
                handler: LAMBDA_HANDLER,
                role: cacheRole.arn,
                timeout: 60,
                code: functionArchive("cacheResize"),
                environment: { variables: cacheActionEnvironment(cache.replicationGroupId, cache.target, cache.globalDatastoreId) },
            }, { parent: this, dependsOn: [functionLogGroup(`${name}-cache-logs`, args.functionNames.cache, args.logs, parent)] });
        }
        return { close, open, cacheFunction };
    }
}
