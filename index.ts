// multi-region-dr: one region of a multi-region DR deployment per stack.
// `pulumi up -s prod` builds the primary region, `pulumi up -s dr` the recovery region; `dr:strategy`
// picks the tier. See README.md.
import * as aws from "@pulumi/aws";
import { readDrConfig } from "./lib/stackConfig";
import { emulatorProviderArgs } from "./lib/emulator";
import { stackTags } from "./lib/tags";
import { createStrategy } from "./strategies";
import { assessObjectives, enforceObjectives } from "./strategies/objectives";

const cfg = readDrConfig();
// Before any resource: a configuration that cannot meet its RTO/RPO targets fails the preview.
const objectives = assessObjectives(cfg);
enforceObjectives(cfg, objectives);

// One provider, pinned to this stack's region: every resource the stack owns lives there (Route 53
// and the Aurora global cluster are global services reached through it).
const provider = new aws.Provider(`aws-${cfg.region}`, {
    region: cfg.region as aws.Region,
    defaultTags: { tags: stackTags(cfg) },
    // The local stacks (Pulumi.local*.yaml) send every call to an emulator on this machine.
    ...(cfg.awsEndpoint ? emulatorProviderArgs(cfg.awsEndpoint) : {}),
});

const deployed = createStrategy(cfg, { providers: { aws: provider } });
const built = deployed.region;

export const strategy = cfg.strategy;
export const role = cfg.role;
export const region = cfg.region;
export const failover = cfg.failover;
/** The URL users reach the app by (the failover record). */
export const endpoint = `http://${cfg.dnsName}`;
// null, not undefined, where this region does not run a part (e.g. backup & restore's standby has no app
// tier): the output still shows, and says so.
export const albDnsName = built.albDnsName ?? null;
export const autoScalingGroupName = built.autoScalingGroupName ?? null;
export const asgMin = built.capacity?.min ?? null;
export const asgDesired = built.capacity?.desired ?? null;
export const asgMax = built.capacity?.max ?? null;
export const healthCheckId = built.healthCheckId ?? null;
export const dbClusterIdentifier = built.dbClusterIdentifier ?? null;
export const globalClusterIdentifier = built.globalClusterIdentifier ?? null;
export const dbWriter = deployed.plan.database?.writer ?? false;
export const bucketName = built.bucketName ?? null;
export const cacheEndpoint = built.cacheEndpoint ?? null;
export const globalTableName = built.globalTableName ?? null;
export const alarmTopicArn = built.alarmTopicArn;
export const backupVaultName = built.backupVaultName;
export const backupPlanId = built.backupPlanId ?? null;

/** The pair's estimated recovery objectives, from the configuration above (lib/objectives.ts). */
export const estimatedRtoSeconds = objectives.estimate.rtoSeconds;
export const estimatedRpoSeconds = objectives.estimate.rpoSeconds;
export const recoveryObjectives = {
    targets: objectives.targets,
    met: objectives.met,
    rtoSteps: objectives.estimate.rtoSteps,
    rpoByStore: objectives.estimate.rpoByStore,
};
