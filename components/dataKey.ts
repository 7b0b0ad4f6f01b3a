import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { dataKeyPolicy } from "../model/policies/keyPolicy";

export interface DataKeyArgs {
    /** The alias, e.g. `alias/<app>-dr-data`. The same alias in both regions lets the other stack name it. */
    readonly alias: string;
    readonly description: pulumi.Input<string>;
    /** The account and region the key policy names (model/policies/keyPolicy.ts, `dataKeyPolicy`). */
    readonly accountId: pulumi.Input<string>;
    readonly region: string;
    /** EventBridge may publish to the region's encrypted alarm topic (model/policies/keyPolicy.ts). Default false. */
    readonly eventsPublish?: boolean;
}

/**
 * The region's KMS key for data at rest (Aurora, S3, cache). Cross-region copies and replicas must be
 * encrypted with a key of the destination region (docs/reference.md, "KMS"), so each region has
 * its own, found by the other stack through its alias.
 */
export class DataKey extends pulumi.ComponentResource {
    public readonly keyArn: pulumi.Output<string>;
    public readonly aliasName: pulumi.Output<string>;

    constructor(name: string, args: DataKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:DataKey", name, {}, opts);
        const key = new kms.Key(`${name}-key`, {
            description: args.description,
            enableKeyRotation: true,
            // The longest waiting period: a key deleted by mistake makes every backup it encrypts unreadable.
            deletionWindowInDays: 30,
            // Who administers it and who uses it, named: not the default policy that lets any IAM policy do either.
            policy: pulumi.output(args.accountId).apply((accountId) => JSON.stringify(dataKeyPolicy({ accountId, region: args.region, eventsPublish: args.eventsPublish }))),
        }, { parent: this });
        const alias = new kms.Alias(`${name}-alias`, {
            name: args.alias,
            targetKeyId: key.keyId,
        }, { parent: this });
        this.keyArn = key.arn;
        this.aliasName = alias.name;
        this.registerOutputs({ keyArn: this.keyArn, aliasName: this.aliasName });
    }
}
