import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseMembership } from "../lib/regionPlan";
import { clientOnlySecurityGroup } from "./clientSecurityGroup";

export const AURORA_ENGINE = "aurora-postgresql";
export const AURORA_PORT = 5432;

/**
 * Attributes that a promotion or switchover changes outside the IaC. Ignoring them keeps the next
 * preview after a failover clean and stops Pulumi from re-attaching or replacing the promoted cluster
 * (DR-REFERENCE.md, "IaC and Aurora global clusters").
 */
export const FAILOVER_MANAGED_ATTRIBUTES = ["globalClusterIdentifier", "replicationSourceIdentifier"];

export interface DatabaseArgs {
    /** global-primary: creates the global cluster and its writer; global-secondary: joins it. */
    readonly membership: DatabaseMembership;
    /** The global cluster's identifier, the same from both stacks. */
    readonly globalClusterIdentifier: string;
    readonly clusterIdentifier: string;
    readonly subnetGroupName: string;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security group of the clients (the app tier) allowed to connect. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** KMS key of this region: an encrypted secondary needs one in its own region. */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly engineVersion: string;
    readonly instanceClass: string;
    readonly instances: number;
    /** Automated backup retention, 1-35 days. */
    readonly backupRetentionDays: number;
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
        const isPrimary = args.membership === "global-primary";

        const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, {
            name: args.subnetGroupName,
            subnetIds: args.subnetIds,
        }, parent);
        const sg = clientOnlySecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            port: AURORA_PORT,
            clientSecurityGroupId: args.clientSecurityGroupId,
            description: "Aurora: PostgreSQL from the app tier only",
        }, parent);

        const membership = isPrimary ? this.createGlobalCluster(name, args) : {
            globalClusterId: args.globalClusterIdentifier,
            // A secondary holds no data of its own (storage is replicated) and RDS refuses a final
            // snapshot of a cluster that is a replica.
            clusterArgs: { skipFinalSnapshot: true },
        };

        const cluster = new aws.rds.Cluster(`${name}-cluster`, {
            clusterIdentifier: args.clusterIdentifier,
            engine: AURORA_ENGINE,
            engineVersion: args.engineVersion,
            globalClusterIdentifier: membership.globalClusterId,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [sg.id],
            storageEncrypted: true,
            kmsKeyId: args.kmsKeyArn,
            deletionProtection: true,
            backupRetentionPeriod: args.backupRetentionDays,
            preferredBackupWindow: "03:00-04:00",
            copyTagsToSnapshot: true,
            ...membership.clusterArgs,
        }, { parent: this, protect: true, ignoreChanges: FAILOVER_MANAGED_ATTRIBUTES });

        for (let i = 1; i <= args.instances; i++) {
            new aws.rds.ClusterInstance(`${name}-instance-${i}`, {
                identifier: `${args.clusterIdentifier}-${i}`,
                clusterIdentifier: cluster.id,
                engine: AURORA_ENGINE,
                instanceClass: args.instanceClass,
                dbSubnetGroupName: subnetGroup.name,
                publiclyAccessible: false,
            }, parent);
        }

        this.clusterIdentifier = cluster.clusterIdentifier;
        this.clusterArn = cluster.arn;
        this.endpoint = cluster.endpoint;
        this.globalClusterIdentifier = pulumi.output(membership.globalClusterId);
        this.registerOutputs({
            clusterIdentifier: this.clusterIdentifier,
            clusterArn: this.clusterArn,
            endpoint: this.endpoint,
            globalClusterIdentifier: this.globalClusterIdentifier,
        });
    }

    /** The primary's side: the global cluster itself, and the credentials its writer is created with. */
    private createGlobalCluster(name: string, args: DatabaseArgs): { globalClusterId: pulumi.Output<string>; clusterArgs: Partial<aws.rds.ClusterArgs> } {
        const global = new aws.rds.GlobalCluster(`${name}-global`, {
            globalClusterIdentifier: args.globalClusterIdentifier,
            engine: AURORA_ENGINE,
            engineVersion: args.engineVersion,
            storageEncrypted: true,
            deletionProtection: true,
        }, { parent: this, protect: true });
        const password = new random.RandomPassword(`${name}-master-password`, {
            length: 32,
            special: false, // RDS rejects / @ " and spaces; 32 letters and digits are 190 bits
        }, { parent: this });
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
