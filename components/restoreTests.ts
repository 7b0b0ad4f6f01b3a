import * as backup from "@pulumi/aws/backup";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import { backupCronProblem } from "../model/cron";
import {
    AGE_METRIC, FAILED_ALARM, FAILURES_METRIC, RECOVERY_POINT_ALGORITHM, RECOVERY_POINT_TYPES,
    RESTORE_CHECK_NAMESPACE, RESTORE_CHECK_RUNTIME, RESTORE_CHECK_SCHEDULE, RESTORE_CHECK_TIMEOUT_SECONDS, RESTORE_TEST_TYPES,
    RestoreTestedStore, SELECTION_WINDOW_DAYS, START_WINDOW_HOURS, VALIDATION_WINDOW_HOURS, auroraRestoreOverrides, maxRestoreTestAgeHours,
    overdueAlarm, restoreCheckDimensions, restoreCheckEnvironment, restoreCheckPolicy, restoreJobEventPattern, restoreTestSchedule,
    restoreTestingPlanNameProblem,
} from "../model/restoreTests";
import { serviceTrustPolicy } from "../model/policies/iamPolicy";
import { LAMBDA_HANDLER, functionArchive } from "./functionCode";
import { FunctionLogs, functionLogGroup } from "./functionLogGroup";

/**
 * What AWS Backup restores as: restores only, of RDS/Aurora (the service-role pair) and of S3 (its own, outside
 * the service-role/ path), the same managed policies the backup role holds for restores (components/backupPlan.ts).
 */
export const RESTORE_ROLE_POLICY_ARNS: readonly string[] = [
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
];

export interface AuroraRestoreTestArgs {
    /** The region's VPC: the restored test cluster goes in it, behind a security group with no rules. */
    readonly vpcId: pulumi.Input<string>;
    /** Its private subnets (Network's `privateSubnetIds`), for the test cluster's DB subnet group. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The DB subnet group's and the security group's names (`restoreTestNames`). */
    readonly subnetGroupName: string;
    readonly securityGroupName: string;
    /**
     * The protected resources to test. Default `["*"]`: every Aurora cluster with a recovery point in the vault.
     * A copied recovery point's protected resource is the source cluster (in the other region), by its ARN.
     */
    readonly protectedResourceArns?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface S3RestoreTestArgs {
    /** As for Aurora; default `["*"]`. AWS Backup restores each into a new bucket it names and later deletes. */
    readonly protectedResourceArns?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface RestoreTestsArgs {
    /** The restore testing plan's name: 1-50 letters, digits, underscores (`restoreTestNames().plan`). */
    readonly planName: string;
    /** The role AWS Backup restores as. IAM is global: it must carry the region code (`restoreTestNames().restoreRole`). */
    readonly restoreRoleName: string;
    /** The check function's name, also its role's (IAM: region code again) and its log group's. */
    readonly checkFunctionName: string;
    /** The stack's region, where the plan, the restored copies and the check run. */
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /**
     * The vault whose recovery points are tested: in the dr region, the one that receives the primary's copies
     * (BackupVault's `vaultArn`). Only that vault: a test of the copies is a test of the recovery path.
     */
    readonly vaultArn: pulumi.Input<string>;
    /** Test Aurora recovery points; absent: no Aurora test. */
    readonly aurora?: AuroraRestoreTestArgs;
    /** Test S3 recovery points; absent: no S3 test. */
    readonly s3?: S3RestoreTestArgs;
    /** AWS Backup cron expression. Default monthly, the 1st at 06:00 UTC (`restoreTestSchedule`). */
    readonly schedule?: string;
    /** Prefix of the alarms' names: `<prefix>-aurora-failed`, `<prefix>-aurora-overdue`, ... (`restoreTestNames().alarmPrefix`). */
    readonly alarmNamePrefix: string;
    /** Told when an alarm fires and clears: the region's alarm topic and the forwarded ones. */
    readonly alarmActions?: pulumi.Input<string>[];
    /** The check function's log group: encrypted with the region's key, kept `dr:logRetentionDays`. */
    readonly logs: FunctionLogs;
}

/**
 * AWS Backup restore testing of a region's vault, monthly (docs/reference.md: "restore test monthly"): the
 * newest Aurora and S3 recovery points are restored, validated by a small check function, and deleted after
 * the validation window. Two alarms per store: a failed restore or validation, and no validated restore for
 * more than a month and its slack, or the check itself gone quiet (model/restoreTests.ts says why this way).
 */
export class RestoreTests extends pulumi.ComponentResource {
    public readonly planName: pulumi.Output<string>;
    public readonly planArn: pulumi.Output<string>;
    /** Every alarm of the component: per tested store, `-failed` then `-overdue`. */
    public readonly alarmNames: pulumi.Output<string[]>;

    constructor(name: string, args: RestoreTestsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:RestoreTests", name, {}, opts);
        const scheduleProblem = args.schedule === undefined ? undefined : backupCronProblem(args.schedule);
        const problems = [
            restoreTestingPlanNameProblem(args.planName),
            scheduleProblem === undefined ? undefined : `schedule ${args.schedule}: ${scheduleProblem}`,
            args.aurora === undefined && args.s3 === undefined ? "neither aurora nor s3 is given: there is nothing to test" : undefined,
        ].filter((p): p is string => p !== undefined);
        if (problems.length > 0) {
            throw new Error(`RestoreTests ${name}: ${problems.join("; ")}`);
        }
        const parent = { parent: this };
        const stores = (Object.keys(RESTORE_TEST_TYPES) as RestoreTestedStore[]).filter((store) => args[store] !== undefined);

        const restoreRole = new iam.Role(`${name}-restore-role`, {
            name: args.restoreRoleName,
            description: `AWS Backup restores the ${args.planName} restore tests as this role`,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("backup.amazonaws.com")),
        }, parent);
        const attachments = RESTORE_ROLE_POLICY_ARNS.map((policyArn) => new iam.RolePolicyAttachment(
            `${name}-${policyArn.split("/").pop()}`, { role: restoreRole.name, policyArn }, parent));

        const plan = new backup.RestoreTestingPlan(`${name}-plan`, {
            name: args.planName,
            scheduleExpression: args.schedule ?? restoreTestSchedule(),
            startWindowHours: START_WINDOW_HOURS,
            recoveryPointSelection: {
                algorithm: RECOVERY_POINT_ALGORITHM,
                includeVaults: [args.vaultArn],
                recoveryPointTypes: [...RECOVERY_POINT_TYPES],
                selectionWindowDays: SELECTION_WINDOW_DAYS,
            },
        }, parent);

        this.selections(name, args, plan, restoreRole, attachments);
        this.checkFunction(name, args, plan, stores);
        const alarms = this.alarms(name, args, stores);

        this.planName = plan.name;
        this.planArn = plan.arn;
        this.alarmNames = pulumi.all(alarms.map((a) => a.name));
        this.registerOutputs({ planName: this.planName, planArn: this.planArn, alarmNames: this.alarmNames });
    }

    /** What each test restores: Aurora into an isolated group and subnets, S3 as it is; each by AWS Backup's restore role. */
    private selections(name: string, args: RestoreTestsArgs, plan: backup.RestoreTestingPlan, restoreRole: iam.Role, attachments: iam.RolePolicyAttachment[]): void {
        const parent = { parent: this };
        // The role must hold its policies before the first test, or that restore fails on permissions.
        const selectionOpts = { parent: this, dependsOn: attachments };
        if (args.aurora) {
            const a = args.aurora;
            // No ingress, no egress: nothing reaches the test copy of production's data, and it reaches nothing.
            const isolation = new ec2.SecurityGroup(`${name}-aurora-sg`, {
                name: a.securityGroupName,
                description: "Restore-tested Aurora clusters: reachable by nothing",
                vpcId: a.vpcId,
                ingress: [],
                egress: [],
                tags: { Name: a.securityGroupName },
            }, parent);
            const subnets = new rds.SubnetGroup(`${name}-aurora-subnets`, {
                name: a.subnetGroupName,
                description: "Restore-tested Aurora clusters (private subnets)",
                subnetIds: a.subnetIds,
            }, parent);
            new backup.RestoreTestingSelection(`${name}-aurora`, {
                name: "aurora",
                restoreTestingPlanName: plan.name,
                protectedResourceType: RESTORE_TEST_TYPES.aurora,
                protectedResourceArns: a.protectedResourceArns ?? ["*"],
                iamRoleArn: restoreRole.arn,
                restoreMetadataOverrides: pulumi.all([subnets.name, isolation.id]).apply(([subnetGroupName, sg]) =>
                    auroraRestoreOverrides({ subnetGroupName, securityGroupIds: [sg] })),
                validationWindowHours: VALIDATION_WINDOW_HOURS,
            }, selectionOpts);
        }
        if (args.s3) {
            new backup.RestoreTestingSelection(`${name}-s3`, {
                name: "s3",
                restoreTestingPlanName: plan.name,
                protectedResourceType: RESTORE_TEST_TYPES.s3,
                protectedResourceArns: args.s3.protectedResourceArns ?? ["*"],
                iamRoleArn: restoreRole.arn,
                validationWindowHours: VALIDATION_WINDOW_HOURS,
            }, selectionOpts);
        }
    }

    /** The check function and what invokes it: this plan's job events, and an hourly schedule. */
    private checkFunction(name: string, args: RestoreTestsArgs, plan: backup.RestoreTestingPlan, stores: RestoreTestedStore[]): void {
        const parent = { parent: this };
        // The check function: validates each completed test job, counts failures, publishes the age of the
        // newest validated test hourly (functions/restoreCheck.ts; model/restoreTests.ts says why).
        const checkRole = new iam.Role(`${name}-check-role`, {
            name: args.checkFunctionName,
            description: `The ${args.planName} restore test check function`,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("lambda.amazonaws.com")),
        }, parent);
        const checkPolicy = new iam.RolePolicy(`${name}-check-policy`, {
            role: checkRole.id,
            policy: pulumi.all([args.accountId, plan.arn]).apply(([accountId, planArn]) =>
                JSON.stringify(restoreCheckPolicy({ region: args.region, accountId, functionName: args.checkFunctionName, planArn }))),
        }, parent);
        // Created here, before the function, so Lambda does not create it with no expiry.
        const logGroup = functionLogGroup(`${name}-check-logs`, args.checkFunctionName, args.logs, parent);
        const resourceTypes = stores.map((store) => RESTORE_TEST_TYPES[store]);
        const check = new lambda.Function(`${name}-check`, {
            name: args.checkFunctionName,
            runtime: RESTORE_CHECK_RUNTIME,
            handler: LAMBDA_HANDLER,
            role: checkRole.arn,
            code: functionArchive("restoreCheck"),
            timeout: RESTORE_CHECK_TIMEOUT_SECONDS,
            memorySize: 128,
            environment: { variables: restoreCheckEnvironment(plan.name, plan.arn, resourceTypes) },
        }, { parent: this, dependsOn: [checkPolicy, logGroup] });

        const triggers: Record<string, Pick<cloudwatch.EventRuleArgs, "eventPattern" | "scheduleExpression" | "description">> = {
            jobs: {
                description: `Restore test jobs of ${args.planName} that completed, failed or were aborted`,
                eventPattern: plan.arn.apply((arn) => JSON.stringify(restoreJobEventPattern(arn))),
            },
            hourly: {
                description: `Hourly: the age of ${args.planName}'s newest validated restore test`,
                scheduleExpression: RESTORE_CHECK_SCHEDULE,
            },
        };
        for (const [trigger, ruleArgs] of Object.entries(triggers)) {
            const rule = new cloudwatch.EventRule(`${name}-${trigger}`, { name: `${args.checkFunctionName}-${trigger}`, ...ruleArgs }, parent);
            new lambda.Permission(`${name}-${trigger}-invoke`, {
                action: "lambda:InvokeFunction",
                function: check.name,
                principal: "events.amazonaws.com",
                sourceArn: rule.arn,
            }, parent);
            new cloudwatch.EventTarget(`${name}-${trigger}-target`, { rule: rule.name, arn: check.arn }, parent);
        }
    }

    /** Per tested store: an alarm when a test fails, and one when none has validated for over a month. */
    private alarms(name: string, args: RestoreTestsArgs, stores: RestoreTestedStore[]): cloudwatch.MetricAlarm[] {
        const parent = { parent: this };
        const actions = args.alarmActions === undefined ? {} : { alarmActions: args.alarmActions, okActions: args.alarmActions };
        const maxAgeHours = maxRestoreTestAgeHours();
        const alarms: cloudwatch.MetricAlarm[] = [];
        for (const store of stores) {
            const type = RESTORE_TEST_TYPES[store];
            const dimensions = restoreCheckDimensions(args.planName, type);
            alarms.push(new cloudwatch.MetricAlarm(`${name}-${store}-failed`, {
                name: `${args.alarmNamePrefix}-${store}-failed`,
                alarmDescription: `A ${type} restore test of ${args.planName} failed, was aborted, or its restored copy failed validation`,
                namespace: RESTORE_CHECK_NAMESPACE,
                metricName: FAILURES_METRIC,
                dimensions,
                ...FAILED_ALARM,
                ...actions,
            }, parent));
            alarms.push(new cloudwatch.MetricAlarm(`${name}-${store}-overdue`, {
                name: `${args.alarmNamePrefix}-${store}-overdue`,
                alarmDescription: `No ${type} restore test of ${args.planName} has validated for over ${maxAgeHours} hours ` +
                    "(a month and its slack), or the restore test check stopped reporting",
                namespace: RESTORE_CHECK_NAMESPACE,
                metricName: AGE_METRIC,
                dimensions,
                ...overdueAlarm(maxAgeHours),
                ...actions,
            }, parent));
        }
        return alarms;
    }
}
