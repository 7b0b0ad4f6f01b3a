// The guardrails of the multi-region DR program, as Pulumi policies, one file per concern. No PolicyPack here:
// constructing one starts the analyzer's gRPC server and waits for the engine (../index.ts does that), so tests
// import this folder.
//
// Every number is from the project's docs/reference.md ("Recovery steps (rule of thumb)" and each service's
// section); each description says why its rule exists.
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { backupCopiesLeaveTheRegion, backupsCopiedCrossRegion, statefulDataBackedUp } from "./backups";
import { statefulDataDeletionProtected } from "./deletionProtection";
import {
    albAccessLogsEnabled, albHttpRedirectsToHttps, albHttpsListenersCurrentTls, launchTemplatesEncrypted, s3BucketsAccessLogged, s3BucketsTlsOnly,
} from "./edge";
import { s3BucketsEncryptedWithKms, statefulDataEncrypted } from "./encryption";
import { healthCheckDetectionWithinTier, healthChecksNeverInverted, routedRecordsFailOverFast } from "./failover";
import { canariesAlarmed, regionSwitchPlanComplete, replicasHaveRegionSwitchPlan, restoreTestsExist, warmRegionsHaveCanaries } from "./operations";
import { auroraReplicationLagAlarmed, s3ReplicationAlarmed } from "./replicationLag";

// What rules.ts exported before it became this folder: each rule, its numbers and the readers it shares.
export * from "./backups";
export * from "./deletionProtection";
export { MAX_DETECTION_SECONDS, tierOf } from "./detectionBudget";
export type { DetectionConfig } from "./detectionBudget";
export * from "./edge";
export * from "./encryption";
export * from "./failover";
export * from "./operations";
export * from "./replicationLag";
export { isGlobalSecondary } from "./stack";
export { UNKNOWN, peek } from "./props";
export { TYPES } from "./types";
export { TIER_DETECTION_SECONDS } from "../tierNumbers";

/** The pack's policies, in the order they are reported. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    statefulDataEncrypted,
    s3BucketsEncryptedWithKms,
    statefulDataDeletionProtected,
    statefulDataBackedUp,
    backupCopiesLeaveTheRegion,
    backupsCopiedCrossRegion,
    healthCheckDetectionWithinTier,
    healthChecksNeverInverted,
    routedRecordsFailOverFast,
    s3ReplicationAlarmed,
    auroraReplicationLagAlarmed,
    albHttpsListenersCurrentTls,
    albHttpRedirectsToHttps,
    albAccessLogsEnabled,
    launchTemplatesEncrypted,
    s3BucketsTlsOnly,
    s3BucketsAccessLogged,
    regionSwitchPlanComplete,
    replicasHaveRegionSwitchPlan,
    canariesAlarmed,
    warmRegionsHaveCanaries,
    restoreTestsExist,
];
