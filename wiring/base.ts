// What every part of a region is wired onto: the stack's plan and names, its account, its data key, its log
// bucket and its network. The parts (edge.ts, data.ts, protection.ts, operations.ts) take this and decide nothing.
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import type { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { DataKey } from "../components/dataKey";
import type { FunctionLogs } from "../components/functionLogGroup";
import { LogBucket } from "../components/logBucket";
import { Network } from "../components/network";
import { FLOW_LOG_PREFIX } from "../model/policies/bucketPolicy";
import type { DrConfig } from "../model/config";
import { RegionNames, logBucketName, regionNames } from "../model/naming";
import type { PrimaryValue } from "../model/stackOperations";
import type { StackPlan } from "../model/stackPlan";

export interface RegionBase {
    /** The tier's component: every resource's parent, so a tier change keeps every URN. */
    readonly parent: pulumi.ComponentResource;
    /** The component's name, which prefixes every child's. */
    readonly name: string;
    readonly cfg: DrConfig;
    readonly plan: StackPlan;
    /** This region's names (model/naming.ts). */
    readonly names: RegionNames;
    readonly opts: pulumi.CustomResourceOptions;
    readonly accountId: pulumi.Output<string>;
    /** A name or ARN that holds the account id. */
    readonly inAccount: (f: (account: string) => string) => pulumi.Output<string>;
    readonly key: DataKey;
    readonly logs: LogBucket;
    readonly network: Network;
    /** The log groups of the functions and canaries: the region's key, and the region's log retention. */
    readonly functionLogs: FunctionLogs;
    /** The options of a read of the primary region, through its read provider (only where the plan reads it). */
    readonly readPrimary: () => pulumi.InvokeOptions;
}

/** The account, the data key, the log bucket and the network: what every region holds, in every tier. */
export function buildBase(parent: pulumi.ComponentResource, name: string, cfg: DrConfig, plan: StackPlan, primaryRead?: Provider): RegionBase {
    const opts = { parent };
    const names = regionNames(cfg.appName, cfg.region);
    // STS of this stack's own region: the dr stack never calls the primary region.
    const accountId = getCallerIdentityOutput({}, opts).accountId;
    const inAccount = (f: (account: string) => string) => accountId.apply(f);

    const key = new DataKey(`${name}-data-key`, {
        alias: names.dataKeyAlias,
        description: `${cfg.appName} data at rest in ${cfg.region} (DR ${cfg.role})`,
        accountId,
        region: cfg.region,
        // The dr region's alarm topic also carries the Region switch plan's execution pages (EventBridge).
        eventsPublish: plan.operations.regionSwitch,
    }, opts);
    // Every region keeps its own access and flow logs, in normal times and after a failover alike.
    const logs = new LogBucket(`${name}-logs`, {
        bucketName: inAccount((account) => logBucketName(cfg.appName, cfg.region, account)),
        region: cfg.region,
        accountId,
        retentionDays: cfg.logRetentionDays,
    }, opts);
    const network = new Network(`${name}-network`, {
        vpcName: names.vpc,
        cidrBlock: plan.vpcCidr,
        natGateways: plan.natGateways,
        flowLogs: { bucketName: logs.bucketName, prefix: FLOW_LOG_PREFIX },
    }, opts);
    return {
        parent, name, cfg, plan, names, opts, accountId, inAccount, key, logs, network,
        functionLogs: { kmsKeyArn: key.keyArn, retentionDays: cfg.logRetentionDays },
        readPrimary: () => ({ parent, provider: readProvider(primaryRead) }),
    };
}

/** A value of the primary region: `read` through the read provider by its name, or the plan's placeholder. */
export function primaryValue(value: PrimaryValue, read: (name: string) => pulumi.Output<string>): pulumi.Output<string> {
    return "read" in value ? read(value.read) : pulumi.output(value.placeholder);
}

/** The primary region's read provider, which wiring/providers.ts built wherever the plan reads it (readsPrimary). */
function readProvider(primaryRead: Provider | undefined): Provider {
    if (primaryRead === undefined) {
        throw new Error("the stack's plan reads the primary region, but no read provider was built for it (StackPlan.readsPrimary)");
    }
    return primaryRead;
}
