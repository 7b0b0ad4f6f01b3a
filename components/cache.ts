import * as elasticache from "@pulumi/aws/elasticache";
import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CacheMembership, CacheSize } from "../model/regionPlan";
import { clientOnlySecurityGroup } from "./clientSecurityGroup";

export const CACHE_PORT = 6379;

export interface CacheArgs {
    readonly replicationGroupId: string;
    /** The SSM SecureString parameter, in this region, that holds the AUTH token for the app to read. */
    readonly authTokenParameterName: string;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security group of the clients (the app tier) allowed to connect. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Node type and count from the tier. */
    readonly size: CacheSize;
    /**
     * A member of an ElastiCache Global Datastore (`dr:cacheReplication global-datastore`). primary: this
     * cache creates the datastore; secondary: it joins the one named, as a read-only replica whose node type,
     * engine and AUTH token are the primary's; promoted: it left it at failover, which the IaC keeps as it is.
     * Default: a cache of its own region only.
     */
    readonly global?: CacheMembership;
    /**
     * secondary: the primary's AUTH token, read from prod's parameter in normal times, so the app here signs in
     * with the token the datastore replicates. Default: a token of this region's own.
     */
    readonly primaryAuthToken?: pulumi.Input<string>;
}

/**
 * ElastiCache for Valkey, encrypted at rest and in transit, with an AUTH token: a client needs the token as well
 * as a path through the security group. A cache holds no data DR must keep: each
 * region has its own, sized by the tier, and a promoted region warms its own.
 */
export class Cache extends pulumi.ComponentResource {
    public readonly primaryEndpoint: pulumi.Output<string>;
    public readonly replicationGroupId: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    /** The Global Datastore's id, where this cache created it (AWS prefixes the suffix it was given). */
    public readonly globalDatastoreId?: pulumi.Output<string>;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:Cache", name, {}, opts);
        const parent = { parent: this };
        const multiAz = args.size.nodes > 1;

        const subnetGroup = new elasticache.SubnetGroup(`${name}-subnets`, {
            name: args.replicationGroupId,
            subnetIds: args.subnetIds,
        }, parent);
        const sg = clientOnlySecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            port: CACHE_PORT,
            service: "the cache",
            clientSecurityGroupId: args.clientSecurityGroupId,
            description: "Cache: Valkey from the app tier only",
        }, parent);
        // Letters and digits only: Valkey refuses @, " and / in a token; 64 of them are 381 bits.
        const token = new random.RandomPassword(`${name}-auth-token`, { length: 64, special: false }, parent);
        const member = args.global?.role === "secondary" || args.global?.role === "promoted";
        new ssm.Parameter(`${name}-auth-token-parameter`, {
            name: args.authTokenParameterName,
            description: member ? "AUTH token of this region's Valkey cache: the Global Datastore's, replicated from prod's"
                : "AUTH token of this region's Valkey cache (each region's cache has its own)",
            type: "SecureString",
            keyId: args.kmsKeyArn,
            value: pulumi.secret(args.primaryAuthToken ?? token.result),
        }, {
            parent: this,
            // Promoted, the cache keeps the token it had as a member, and prod's parameter is not read: keep it.
            ignoreChanges: args.global?.role === "promoted" ? ["value"] : [],
        });
        const engine = member ? {
            // A member's node type, engine and AUTH come from the datastore's primary (ElastiCache User Guide,
            // "Replication across AWS Regions using global datastores"); it names the datastore instead.
            globalReplicationGroupId: args.global?.role === "secondary" ? args.global.globalDatastoreId : undefined,
        } : {
            engine: "valkey",
            engineVersion: "8.0",
            nodeType: args.size.nodeType,
            authToken: pulumi.secret(token.result),
        };
        const group = new elasticache.ReplicationGroup(`${name}-group`, {
            replicationGroupId: args.replicationGroupId,
            description: args.global ? "App cache (a member of the pair's Global Datastore)" : "App cache (rebuilt per region, not replicated)",
            ...engine,
            numCacheClusters: args.size.nodes,
            port: CACHE_PORT,
            automaticFailoverEnabled: multiAz,
            multiAzEnabled: multiAz,
            atRestEncryptionEnabled: true,
            kmsKeyId: args.kmsKeyArn,
            transitEncryptionEnabled: true,
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [sg.id],
            snapshotRetentionLimit: 1,
            applyImmediately: true,
        }, {
            parent: this,
            // The failover disassociates the dr member from the datastore outside the IaC: neither a later
            // `pulumi up` nor a refresh may join it again or replace it over that (the Aurora cluster's rule).
            ignoreChanges: member ? ["globalReplicationGroupId", "engine", "engineVersion", "nodeType", "authToken"] : [],
        });
        if (args.global?.role === "primary") {
            const datastore = new elasticache.GlobalReplicationGroup(`${name}-global`, {
                globalReplicationGroupIdSuffix: args.replicationGroupId,
                primaryReplicationGroupId: group.id,
                globalReplicationGroupDescription: "The pair's cache, replicated to the dr region (dr:cacheReplication global-datastore)",
            }, parent);
            this.globalDatastoreId = datastore.globalReplicationGroupId;
        }

        this.primaryEndpoint = group.primaryEndpointAddress;
        this.replicationGroupId = group.replicationGroupId;
        this.arn = group.arn;
        this.registerOutputs({ primaryEndpoint: this.primaryEndpoint, replicationGroupId: this.replicationGroupId });
    }
}
