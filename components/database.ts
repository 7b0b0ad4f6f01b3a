import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { rdsMonitoringTrustPolicy } from "../model/policies/iamPolicy";
import { SERVERLESS_INSTANCE_CLASS } from "../model/levers";
import {
    DATABASE_INSIGHTS_MODE, DB_MONITORING_INTERVAL_SECONDS, DatabaseMembership, PERFORMANCE_INSIGHTS_RETENTION_DAYS,
} from "../model/regionPlan";
import { clientOnlySecurityGroup } from "./clientSecurityGroup";

export const AURORA_ENGINE = "aurora-postgresql";
export const AURORA_PORT = 5432;
/** What each cluster exports to CloudWatch Logs: the PostgreSQL log (errors, DDL, slow statements). */
export const AURORA_LOG_EXPORTS = ["postgresql"];

/** The cluster parameter group family of an Aurora PostgreSQL version: `16.6` -> `aurora-postgresql16`. */
export function auroraParameterFamily(engineVersion: string): string {
    return `${AURORA_ENGINE}${engineVersion.split(".")[0]}`;
}

/**
 * Every cluster's parameters, in both regions: connections without TLS are refused, and below TLS 1.2 too.
 * A parameter group is regional, so each region's cluster has its own with the same settings.
 */
export const AURORA_TLS_PARAMETERS = [
    { name: "rds.force_ssl", value: "1" },
    { name: "ssl_min_protocol_version", value: "TLSv1.2" },
];

/**
 * The audit trail, in the exported PostgreSQL log: every DDL statement (who created, altered or dropped what)
 * and every statement slower than a second. `log_statement = ddl` rather than pgaudit: pgaudit needs
 * `shared_preload_libraries`, a static parameter that takes a reboot of the writer to apply. Both are dynamic:
 * applied without a restart.
 */
export const SLOW_STATEMENT_MS = 1000;
export const AURORA_AUDIT_PARAMETERS = [
    { name: "log_statement", value: "ddl" },
    { name: "log_min_duration_statement", value: String(SLOW_STATEMENT_MS) },
];

/**
 * Attributes that a promotion or switchover changes outside the IaC. Ignoring them keeps the next
 * preview after a failover clean and stops Pulumi from re-attaching or replacing the promoted cluster
 * (docs/reference.md, "Aurora").
 */
export const FAILOVER_MANAGED_ATTRIBUTES = ["globalClusterIdentifier", "replicationSourceIdentifier"];

/**
 * A restored cluster is created from `dr:restoreFrom` once; a later change of that key (say, to a newer
 * recovery point) must not replace the database that now holds production's writes.
 */
export const RESTORE_MANAGED_ATTRIBUTES = [...FAILOVER_MANAGED_ATTRIBUTES, "snapshotIdentifier"];

/** The AWS managed policy that lets RDS's enhanced monitoring write its OS metrics to CloudWatch Logs (RDSOSMetrics). */
export const RDS_ENHANCED_MONITORING_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

/**
 * What every instance of a cluster carries, the same on each: CloudWatch Database Insights needs each DB instance of
 * a cluster to have the same Performance Insights and enhanced monitoring settings (Aurora User Guide,
 * "Considerations for Database Insights for Amazon Aurora"). The cluster carries the Performance Insights part too.
 */
export function instanceMonitoring(monitoringRoleArn: pulumi.Input<string>, kmsKeyArn: pulumi.Input<string>) {
    return {
        monitoringInterval: DB_MONITORING_INTERVAL_SECONDS,
        monitoringRoleArn,
        ...performanceInsights(kmsKeyArn),
    };
}

function performanceInsights(kmsKeyArn: pulumi.Input<string>) {
    return {
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: kmsKeyArn,
        performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
    };
}

export interface DatabaseMonitoringRoleArgs {
    /** IAM is global: one role per region, its name carrying the region code (model/naming.ts, `dbMonitoringRole`). */
    readonly roleName: string;
    /** The account whose DB instances may have RDS assume the role (`aws:SourceAccount`, against the confused deputy). */
    readonly accountId: pulumi.Input<string>;
}

/**
 * The IAM role RDS's enhanced monitoring publishes a region's Aurora instances' OS metrics as. Created in every
 * region's stack in every tier, whether or not the region holds a database yet (wiring/data.ts): IAM's control
 * plane is in us-east-1, so the failover deploy that creates or resizes a database (backup & restore's restored
 * cluster, a promoted secondary's second instance) names this role and creates none.
 */
export class DatabaseMonitoringRole extends pulumi.ComponentResource {
    /** The role's ARN, once its policy is attached: RDS checks the role's permissions when an instance names it. */
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: DatabaseMonitoringRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:DatabaseMonitoringRole", name, {}, opts);
        const role = new iam.Role(`${name}-role`, {
            name: args.roleName,
            assumeRolePolicy: pulumi.output(args.accountId).apply((account) => JSON.stringify(rdsMonitoringTrustPolicy(account))),
        }, { parent: this });
        const attachment = new iam.RolePolicyAttachment(`${name}-policy`, {
            role: role.name,
            policyArn: RDS_ENHANCED_MONITORING_POLICY_ARN,
        }, { parent: this });
        this.roleArn = pulumi.all([role.arn, attachment.id]).apply(([arn]) => arn);
        this.registerOutputs({ roleArn: this.roleArn });
    }
}

/** How the cluster is created: which global cluster it belongs to (if any) and its role-specific inputs. */
interface Membership {
    readonly globalClusterId: pulumi.Input<string> | undefined;
    readonly clusterArgs: Partial<rds.ClusterArgs>;
}

export interface DatabaseArgs {
    /**
     * global-primary: creates the global cluster and its writer; global-secondary: joins it; restored: a
     * standalone cluster created from `restoreFrom`.
     */
    readonly membership: DatabaseMembership;
    /** restored: the Aurora cluster snapshot (recovery point) ARN, in this region. */
    readonly restoreFrom?: string;
    /** global-secondary: accept writes here and forward them to the writer region. Default false. */
    readonly writeForwarding?: boolean;
    /** The global cluster's identifier, the same from both stacks. */
    readonly globalClusterIdentifier: string;
    readonly clusterIdentifier: string;
    readonly subnetGroupName: string;
    /** This region's cluster parameter group (TLS enforced, DDL and slow statements logged). */
    readonly parameterGroupName: string;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security group of the clients (the app tier) allowed to connect. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** KMS key of this region: an encrypted secondary needs one in its own region. */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly engineVersion: string;
    readonly instanceClass: string;
    readonly instances: number;
    /**
     * Aurora Serverless v2 instead of `instanceClass` (model/levers.ts): the cluster's capacity range in ACU, and
     * every instance db.serverless. Default: provisioned.
     */
    readonly serverless?: { readonly minCapacity: number; readonly maxCapacity: number };
    /** Automated backup retention, 1-35 days. */
    readonly backupRetentionDays: number;
    /**
     * The region's enhanced-monitoring role (DatabaseMonitoringRole), which stands in every region's stack: every
     * instance names it.
     */
    readonly monitoringRoleArn: pulumi.Input<string>;
}

/**
 * Aurora PostgreSQL in a global database. The primary's master password is a generated Pulumi
 * secret: RDS-managed (Secrets Manager) passwords are not available for clusters in a global database.
 */
export class Database extends pulumi.ComponentResource {
    public readonly clusterIdentifier: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    public readonly endpoint: pulumi.Output<string>;
    public readonly globalClusterIdentifier: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:Database", name, {}, opts);
        const parent = { parent: this };

        const { subnetGroup, parameters, sg } = this.placement(name, args);
        const membership = this.membership(name, args);

        const cluster = new rds.Cluster(`${name}-cluster`, {
            clusterIdentifier: args.clusterIdentifier,
            engine: AURORA_ENGINE,
            engineVersion: args.engineVersion,
            globalClusterIdentifier: membership.globalClusterId,
            dbSubnetGroupName: subnetGroup.name,
            dbClusterParameterGroupName: parameters.name,
            vpcSecurityGroupIds: [sg.id],
            // The app can sign in with its IAM role's short-lived tokens instead of a stored password.
            iamDatabaseAuthenticationEnabled: true,
            enabledCloudwatchLogsExports: AURORA_LOG_EXPORTS,
            storageEncrypted: true,
            kmsKeyId: args.kmsKeyArn,
            deletionProtection: true,
            backupRetentionPeriod: args.backupRetentionDays,
            preferredBackupWindow: "03:00-04:00",
            copyTagsToSnapshot: true,
            // CloudWatch Database Insights (the successor of Performance Insights, which reached its end of life on
            // 2026-07-31), standard mode: Performance Insights on, encrypted with the region's key, kept 7 days.
            databaseInsightsMode: DATABASE_INSIGHTS_MODE,
            ...performanceInsights(args.kmsKeyArn),
            ...(args.serverless ? { serverlessv2ScalingConfiguration: { ...args.serverless } } : {}),
            ...membership.clusterArgs,
        }, {
            parent: this,
            protect: true,
            ignoreChanges: args.membership === "restored" ? RESTORE_MANAGED_ATTRIBUTES : FAILOVER_MANAGED_ATTRIBUTES,
        });

        for (let i = 1; i <= args.instances; i++) {
            new rds.ClusterInstance(`${name}-instance-${i}`, {
                identifier: `${args.clusterIdentifier}-${i}`,
                clusterIdentifier: cluster.id,
                engine: AURORA_ENGINE,
                instanceClass: args.serverless ? SERVERLESS_INSTANCE_CLASS : args.instanceClass,
                dbSubnetGroupName: subnetGroup.name,
                publiclyAccessible: false,
                // Enhanced monitoring and Performance Insights, the same on every instance (Database Insights needs it).
                ...instanceMonitoring(args.monitoringRoleArn, args.kmsKeyArn),
            }, parent);
        }

        this.clusterIdentifier = cluster.clusterIdentifier;
        this.clusterArn = cluster.arn;
        this.endpoint = cluster.endpoint;
        this.globalClusterIdentifier = pulumi.output(membership.globalClusterId ?? "");
        this.registerOutputs({
            clusterIdentifier: this.clusterIdentifier,
            clusterArn: this.clusterArn,
            endpoint: this.endpoint,
            globalClusterIdentifier: this.globalClusterIdentifier,
        });
    }

    /** Where the cluster runs and how it is reached: its subnets, its parameters (TLS, the audit trail), its security group. */
    private placement(name: string, args: DatabaseArgs): { subnetGroup: rds.SubnetGroup; parameters: rds.ClusterParameterGroup; sg: ReturnType<typeof clientOnlySecurityGroup> } {
        const parent = { parent: this };
        const subnetGroup = new rds.SubnetGroup(`${name}-subnets`, {
            name: args.subnetGroupName,
            subnetIds: args.subnetIds,
        }, parent);
        const parameters = new rds.ClusterParameterGroup(`${name}-parameters`, {
            name: args.parameterGroupName,
            family: auroraParameterFamily(args.engineVersion),
            // The description stays as first deployed: changing it replaces the group (and the name stays the
            // same), which a live global cluster's group must not go through for a comment.
            description: "TLS only (rds.force_ssl), TLS 1.2 at least",
            parameters: [...AURORA_TLS_PARAMETERS, ...AURORA_AUDIT_PARAMETERS].map((p) => ({ ...p, applyMethod: "immediate" })),
        }, parent);
        const sg = clientOnlySecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            port: AURORA_PORT,
            service: "Aurora",
            clientSecurityGroupId: args.clientSecurityGroupId,
            description: "Aurora: PostgreSQL from the app tier only",
        }, parent);
        return { subnetGroup, parameters, sg };
    }

    /** The cluster's place in the global database: its writer, a secondary, or a cluster restored from a recovery point. */
    private membership(name: string, args: DatabaseArgs): Membership {
        return args.membership === "global-primary" ? this.createGlobalCluster(name, args)
            : args.membership === "restored" ? this.restoredCluster(name, args)
            : {
                globalClusterId: args.globalClusterIdentifier,
                // A secondary holds no data of its own (storage is replicated) and RDS refuses a final
                // snapshot of a cluster that is a replica.
                clusterArgs: {
                    skipFinalSnapshot: true,
                    ...(args.writeForwarding ? { enableGlobalWriteForwarding: true } : {}),
                } as Partial<rds.ClusterArgs>,
            };
    }

    /**
     * Backup & restore's recovered database: created from the recovery point, outside any global cluster,
     * with new master credentials (the prod stack's secret may be lost with the primary region).
     */
    private restoredCluster(name: string, args: DatabaseArgs): Membership {
        if (!args.restoreFrom) {
            throw new Error(`Database ${name}: membership "restored" needs restoreFrom (config validation requires dr:restoreFrom)`);
        }
        return {
            globalClusterId: undefined,
            clusterArgs: {
                snapshotIdentifier: args.restoreFrom,
                masterPassword: pulumi.secret(this.masterPassword(name).result),
                finalSnapshotIdentifier: `${args.clusterIdentifier}-final`,
                skipFinalSnapshot: false,
            },
        };
    }

    private masterPassword(name: string): random.RandomPassword {
        return new random.RandomPassword(`${name}-master-password`, {
            length: 32,
            special: false, // RDS rejects / @ " and spaces; 32 letters and digits are 190 bits
        }, { parent: this });
    }

    /** The primary's side: the global cluster itself, and the credentials its writer is created with. */
    private createGlobalCluster(name: string, args: DatabaseArgs): Membership {
        const global = new rds.GlobalCluster(`${name}-global`, {
            globalClusterIdentifier: args.globalClusterIdentifier,
            engine: AURORA_ENGINE,
            engineVersion: args.engineVersion,
            storageEncrypted: true,
            deletionProtection: true,
        }, { parent: this, protect: true });
        const password = this.masterPassword(name);
        return {
            globalClusterId: global.id,
            clusterArgs: {
                masterUsername: "dradmin",
                masterPassword: pulumi.secret(password.result),
                finalSnapshotIdentifier: `${args.clusterIdentifier}-final`,
                skipFinalSnapshot: false,
            },
        };
    }
}
