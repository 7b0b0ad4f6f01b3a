import * as dynamodb from "@pulumi/aws/dynamodb";
import * as pulumi from "@pulumi/pulumi";

/**
 * The global tables version this component creates: an `dynamodb.Table` with `replicas` is a global
 * table version 2019.11.21 (multi-active, replication usually within a second; docs/reference.md,
 * "DynamoDB"). The older 2017.11.29 version is the separate `dynamodb.GlobalTable` resource, not used here.
 */
export const GLOBAL_TABLE_VERSION = "2019.11.21";

/** The longest PITR window DynamoDB keeps (1-35 days; docs/reference.md, "DynamoDB"). */
export const PITR_RECOVERY_DAYS = 35;

export interface GlobalTableArgs {
    /** The table's name (see `globalTableName`). Every replica has the same name in its own region. */
    readonly tableName: string;
    /** The regions to replicate to (the dr region). Each becomes one entry of the table's `replicas`. */
    readonly replicaRegions: string[];
    // No customer-managed key: a replica must use a key of its own region given as a key ARN (the provider
    // compares it with the key ARN DynamoDB reports, so an alias ARN recreates the replica on every update),
    // and the prod stack cannot learn the dr key's ARN without calling the dr region. DynamoDB's AWS-managed
    // key encrypts each replica with its own region's key. KMS multi-Region keys would lift this (noted).
    /**
     * Multi-Region strong consistency: every replica `STRONG` (three regions of one set; DynamoDB Developer Guide,
     * docs/reference.md, "Region sets (three or more regions)"). Chosen when the table is created: changing it replaces the table.
     */
    readonly strong?: boolean;
    /** The partition key attribute (type S). Default "pk". */
    readonly hashKey?: string;
    /** The sort key attribute (type S). Default "sk". */
    readonly rangeKey?: string;
}

/**
 * The active-active tier's DynamoDB global table, created by the primary stack: one table here with a replica
 * in each replica region, both writable. The dr stack creates nothing for it; its app uses the local replica.
 */
export class GlobalTable extends pulumi.ComponentResource {
    public readonly tableName: pulumi.Output<string>;
    public readonly tableArn: pulumi.Output<string>;
    public readonly streamArn: pulumi.Output<string>;

    constructor(name: string, args: GlobalTableArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:GlobalTable", name, {}, opts);

        const hashKey = args.hashKey ?? "pk";
        const rangeKey = args.rangeKey ?? "sk";
        const table = new dynamodb.Table(`${name}-table`, {
            name: args.tableName,
            // On demand: a surviving region absorbs the other's traffic without capacity planning.
            billingMode: "PAY_PER_REQUEST",
            hashKey,
            rangeKey,
            attributes: [
                { name: hashKey, type: "S" },
                { name: rangeKey, type: "S" },
            ],
            // Global tables 2019.11.21 replicate through the table's stream and need it with both images.
            streamEnabled: true,
            streamViewType: "NEW_AND_OLD_IMAGES",
            // Replication copies a bad write everywhere within a second; PITR is what undoes it.
            pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: PITR_RECOVERY_DAYS },
            // Encrypted with DynamoDB's AWS-managed KMS key in each region (see GlobalTableArgs).
            serverSideEncryption: { enabled: true },
            deletionProtectionEnabled: true,
            replicas: args.replicaRegions.map((region) => ({
                regionName: region,
                // A replica's PITR is its own setting (a boolean: the window is the 35-day default).
                pointInTimeRecovery: true,
                // The table's deletion protection covers only the primary region's copy.
                deletionProtectionEnabled: true,
                propagateTags: true,
                ...(args.strong ? { consistencyMode: "STRONG" } : {}),
            })),
        }, { parent: this, protect: true });

        this.tableName = table.name;
        this.tableArn = table.arn;
        this.streamArn = table.streamArn;
        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn, streamArn: this.streamArn });
    }
}
