// The DR pair's recovery objectives, assessed at preview time from the plans the tier emits.
import * as pulumi from "@pulumi/pulumi";
import { ALIAS_TTL_SECONDS } from "../components/regionDns";
import { DrConfig } from "../lib/config";
import {
    DEFAULT_TARGETS, RecoveryEstimate, RecoverySettings, backupIntervalSeconds, estimateRecovery, formatEstimate, remedies,
} from "../lib/objectives";
import { FULL_CACHE } from "../lib/regionPlan";
import { tierPlan } from "./index";

/**
 * The settings that decide RTO and RPO, read off the plans both stacks of the pair emit: prod's (what
 * replicates) and the dr stack's standby (what is already running there). Both stacks compute the same
 * pair, so prod and dr report the same estimate.
 */
export function recoverySettings(cfg: DrConfig): RecoverySettings {
    const primary = tierPlan({ ...cfg, role: "primary", region: cfg.primaryRegion, failover: false });
    const standby = tierPlan({ ...cfg, role: "secondary", region: cfg.drRegion, failover: false });
    return {
        strategy: cfg.strategy,
        capacity: cfg.capacity,
        standbyInstances: standby.app?.capacity.desired ?? 0,
        standbyCache: !standby.cache ? "none" : standby.cache.nodes >= FULL_CACHE.nodes ? "full" : "reduced",
        healthCheckIntervalSeconds: cfg.healthCheckIntervalSeconds,
        healthCheckFailureThreshold: cfg.healthCheckFailureThreshold,
        dnsTtlSeconds: ALIAS_TTL_SECONDS,
        backupIntervalSeconds: backupIntervalSeconds(cfg.backupSchedule),
        objectsReplicated: primary.objects?.replicateToRegion !== undefined,
        globalTable: primary.globalTable !== undefined,
        overrides: { decisionSeconds: cfg.decisionSeconds, instanceBootSeconds: cfg.instanceBootSeconds },
    };
}

export interface ObjectivesAssessment {
    readonly estimate: RecoveryEstimate;
    readonly targets: { readonly rtoSeconds: number; readonly rpoSeconds: number };
    readonly met: boolean;
    /** The breakdown and, when a target is missed, what to change. */
    readonly report: string;
}

export function assessObjectives(cfg: DrConfig): ObjectivesAssessment {
    const estimate = estimateRecovery(recoverySettings(cfg));
    const targets = {
        rtoSeconds: cfg.rtoTargetSeconds ?? DEFAULT_TARGETS[cfg.strategy].rtoSeconds,
        rpoSeconds: cfg.rpoTargetSeconds ?? DEFAULT_TARGETS[cfg.strategy].rpoSeconds,
    };
    const met = estimate.rtoSeconds <= targets.rtoSeconds && estimate.rpoSeconds <= targets.rpoSeconds;
    const report = [formatEstimate(estimate, targets), ...remedies(estimate, targets)].join("\n");
    return { estimate, targets, met, report };
}

/**
 * Fails the preview when the pair cannot meet its targets, turning the monthly preview into a DR check.
 * A warning instead with dr:enforceObjectives=false, and always on a dr stack that is failing over: an
 * estimate must never block the deploy of the day DR exists for.
 */
export function enforceObjectives(cfg: DrConfig, assessment: ObjectivesAssessment): void {
    if (assessment.met) {
        return;
    }
    const headline = `The ${cfg.strategy} configuration cannot meet its recovery objectives.`;
    if (cfg.enforceObjectives && !cfg.failover) {
        throw new pulumi.RunError(`${headline}\n${assessment.report}\n` +
            `To deploy anyway: pulumi config set dr:enforceObjectives false -s ${pulumi.getStack()}`);
    }
    pulumi.log.warn(`${headline}\n${assessment.report}`);
}
