// multi-region-dr: one region of a multi-region DR deployment per stack.
// `pulumi up -s prod` builds the primary region, `pulumi up -s dr` the recovery region; `dr:strategy`
// picks the tier. See README.md.
import * as aws from "@pulumi/aws";
import { readDrConfig } from "./lib/stackConfig";
import { stackTags } from "./lib/tags";
import { createStrategy } from "./strategies";

const cfg = readDrConfig();

// One provider, pinned to this stack's region: every resource the stack owns lives there (Route 53
// and the Aurora global cluster are global services reached through it).
const provider = new aws.Provider(`aws-${cfg.region}`, {
    region: cfg.region as aws.Region,
    defaultTags: { tags: stackTags(cfg) },
});

const deployed = createStrategy(cfg, { providers: { aws: provider } });
const built = deployed.region;

export const strategy = cfg.strategy;
export const role = cfg.role;
export const region = cfg.region;
export const failover = cfg.failover;
/** The URL users reach the app by (the failover record). */
export const endpoint = `http://${cfg.dnsName}`;
export const albDnsName = built.albDnsName;
export const autoScalingGroupName = built.autoScalingGroupName;
export const asgMin = built.capacity.min;
export const asgDesired = built.capacity.desired;
export const asgMax = built.capacity.max;
export const dbClusterIdentifier = built.dbClusterIdentifier;
export const globalClusterIdentifier = built.globalClusterIdentifier;
export const dbWriter = deployed.plan.database.writer;
export const bucketName = built.bucketName;
export const healthCheckId = built.healthCheckId;
export const alarmTopicArn = built.alarmTopicArn;
// null, not undefined: a region without a cache (pilot light standby) still shows the output.
export const cacheEndpoint = built.cacheEndpoint ?? null;
