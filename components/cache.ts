import * as elasticache from "@pulumi/aws/elasticache";
import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CacheSize } from "../model/regionPlan";
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
            clientSecurityGroupId: args.clientSecurityGroupId,
            description: "Cache: Valkey from the app tier only",
        }, parent);
        // Letters and digits only: Valkey refuses @, " and / in a token; 64 of them are 381 bits.
        const token = new random.RandomPassword(`${name}-auth-token`, { length: 64, special: false }, parent);
        new ssm.Parameter(`${name}-auth-token-parameter`, {
            name: args.authTokenParameterName,
            description: "AUTH token of this region's Valkey cache (each region's cache has its own)",
            type: "SecureString",
            keyId: args.kmsKeyArn,
            value: pulumi.secret(token.result),
        }, parent);
        const group = new elasticache.ReplicationGroup(`${name}-group`, {
            replicationGroupId: args.replicationGroupId,
            description: "App cache (rebuilt per region, not replicated)",
            engine: "valkey",
            engineVersion: "8.0",
            nodeType: args.size.nodeType,
            numCacheClusters: args.size.nodes,
            port: CACHE_PORT,
            automaticFailoverEnabled: multiAz,
            multiAzEnabled: multiAz,
            atRestEncryptionEnabled: true,
            kmsKeyId: args.kmsKeyArn,
            transitEncryptionEnabled: true,
            authToken: pulumi.secret(token.result),
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [sg.id],
            snapshotRetentionLimit: 1,
            applyImmediately: true,
        }, parent);

        this.primaryEndpoint = group.primaryEndpointAddress;
        this.replicationGroupId = group.replicationGroupId;
        this.arn = group.arn;
        this.registerOutputs({ primaryEndpoint: this.primaryEndpoint, replicationGroupId: this.replicationGroupId });
    }
}
