// multi-region-dr: one region of a multi-region DR deployment per stack.
// `pulumi up -s prod` builds the primary region, `pulumi up -s dr` the recovery region; `dr:strategy`
// picks the tier. A stack with dr:role portfolio builds a portfolio's parent plan over its apps' pairs
// (docs/portfolio.md). See README.md.
import * as pulumi from "@pulumi/pulumi";
import { DrConfig, RawConfig, formatProblems, formatWarning, parseDrConfig } from "./model/config";
import { estimateOf, isPortfolio, portfolioFromConfig, wavesOf } from "./model/portfolio";
import { ObjectivesAssessment, assessObjectives } from "./model/objectives";
import { configRmCommand, configSetCommand, shellCommand } from "./model/tooling/shell";
import { readUserData } from "./model/workload";
import { runtimeWarnings } from "./model/runtimes";
import { tierPlan } from "./model/tiers";
import { stackProviders } from "./wiring/providers";
import { PortfolioComponent } from "./wiring/portfolio";
import { TierComponent } from "./wiring/tierComponent";

/**
 * This stack's config as Pulumi passes it (every key of every namespace, so that a misspelled dr: key is
 * caught), validated; fails the update with every problem listed, and warns about keys it ignores.
 */
function readStackConfig(raw: RawConfig): { cfg: DrConfig; userData?: string } {
    const stack = pulumi.getStack();
    const result = parseDrConfig(raw, stack);
    if (!result.ok) {
        // RunError: Pulumi prints the message alone, without a stack trace.
        throw new pulumi.RunError(formatProblems(result.problems, stack));
    }
    // The user data file is read now, at preview: a missing or oversized one fails before any resource.
    const userData = readUserData(result.config, stack);
    if (!userData.ok) {
        throw new pulumi.RunError(formatProblems([userData.problem], stack));
    }
    for (const warning of result.warnings) {
        pulumi.log.warn(formatWarning(warning));
    }
    // Months before a shipped runtime stops taking new functions or canaries (model/runtimes.ts).
    for (const warning of runtimeWarnings(new Date())) {
        pulumi.log.warn(warning);
    }
    if (result.config.role === "primary" && !result.config.replicateObjects) {
        pulumi.log.warn("dr:replicateObjects is false: objects are not replicated to the dr region, so their RPO is " +
            "unbounded. After the dr stack's first `pulumi up`, run " +
            `\`${configRmCommand("dr:replicateObjects", stack)}\` and \`${shellCommand("pulumi", "up", "-s", stack)}\`.`);
    }
    return { cfg: result.config, userData: userData.text };
}

/**
 * Fails the preview when the pair cannot meet its targets, turning the monthly preview into a DR check.
 * A warning instead with dr:enforceObjectives=false, and always on a dr stack that is failing over: an
 * estimate must never block the deploy of the day DR exists for.
 */
function enforceObjectives(cfg: DrConfig, assessment: ObjectivesAssessment): void {
    if (assessment.met) {
        return;
    }
    const headline = `The ${cfg.strategy} configuration cannot meet its recovery objectives.`;
    if (cfg.enforceObjectives && !cfg.failover) {
        throw new pulumi.RunError(`${headline}\n${assessment.report}\n` +
            `To deploy anyway: ${configSetCommand("dr:enforceObjectives", "false", pulumi.getStack())}`);
    }
    pulumi.log.warn(`${headline}\n${assessment.report}`);
}

/** An app's stack (dr:role primary or secondary): one region of the pair, of the configured tier. */
function appStack(raw: RawConfig): Record<string, unknown> {
    const { cfg, userData } = readStackConfig(raw);
    // Before any resource: a configuration that cannot meet its RTO/RPO targets fails the preview.
    const objectives = assessObjectives(cfg);
    enforceObjectives(cfg, objectives);

    // What the stack builds, every decision made (model/stackPlan.ts); then one provider per region it calls.
    const plan = tierPlan(cfg);
    const providers = stackProviders(cfg, plan);

    // The tier's component, named after the app (not the tier), so a tier change keeps every URN.
    const built = new TierComponent(cfg.appName, {
        cfg, plan, resolved: { userData, rtoTargetSeconds: objectives.targets.rtoSeconds }, primaryRead: providers.primaryRead,
    }, { providers: { aws: providers.region } }).region;

    return {
        strategy: cfg.strategy,
        role: cfg.role,
        region: cfg.region,
        failover: cfg.failover,
        /** The URL users reach the app by (the failover record), over HTTPS. */
        endpoint: `https://${cfg.dnsName}`,
        // null, not undefined, where this region does not run a part (e.g. backup & restore's standby has no app
        // tier): the output still shows, and says so.
        albDnsName: built.albDnsName ?? null,
        autoScalingGroupName: built.autoScalingGroupName ?? null,
        asgMin: built.capacity?.min ?? null,
        asgDesired: built.capacity?.desired ?? null,
        asgMax: built.capacity?.max ?? null,
        /** The health check of this region's record: over the endpoint and, for the primary, the dr region's fence. */
        healthCheckId: built.healthCheckId ?? null,
        /** The CloudWatch alarm this region holds as the traffic fence of the primary's record (dr stack). */
        fenceAlarmName: built.fenceAlarmName ?? null,
        dbClusterIdentifier: built.dbClusterIdentifier ?? null,
        globalClusterIdentifier: built.globalClusterIdentifier ?? null,
        dbWriter: plan.database?.writer ?? false,
        bucketName: built.bucketName ?? null,
        cacheEndpoint: built.cacheEndpoint ?? null,
        globalDatastoreId: built.globalDatastoreId ?? null,
        detectorAlarmName: built.detectorAlarmName ?? null,
        globalTableName: built.globalTableName ?? null,
        alarmTopicArn: built.alarmTopicArn,
        backupVaultName: built.backupVaultName,
        backupPlanId: built.backupPlanId ?? null,
        /** The pair's ARC Region switch plan (dr stack with dr:regionSwitch=true); a portfolio's parent plan reads it. */
        regionSwitchPlanArn: built.regionSwitchPlanArn ?? null,
        /** The canary on this region's own endpoint (where it serves or stands warm), and the dr vault's restore tests. */
        canaryName: built.canaryName ?? null,
        restoreTestingPlanName: built.restoreTestingPlanName ?? null,
        /** The pair's estimated recovery objectives, from the configuration above (model/objectives.ts). */
        estimatedRtoSeconds: objectives.estimate.rtoSeconds,
        estimatedRpoSeconds: objectives.estimate.rpoSeconds,
        recoveryObjectives: {
            targets: objectives.targets,
            met: objectives.met,
            rtoSteps: objectives.estimate.rtoSteps,
            // Active-active: when writes work again per data store (null elsewhere, where they recover together).
            rtoByStore: objectives.estimate.rtoByStore ?? null,
            rpoByStore: objectives.estimate.rpoByStore,
        },
    };
}

/**
 * A portfolio stack (dr:role portfolio): its apps read from their stack files beside this one, checked against
 * each other, and the parent Region switch plan over their plans (docs/portfolio.md).
 */
function portfolioStack(raw: RawConfig): Record<string, unknown> {
    const stack = pulumi.getStack();
    // The apps' stack files are beside this one's, where Pulumi.yaml is (an older CLI does not say: this project's).
    const root = pulumi.runtime.getRootDirectory() || undefined;
    const result = portfolioFromConfig(raw, stack, root);
    if (!result.ok) {
        throw new pulumi.RunError(formatProblems(result.problems, stack));
    }
    const { portfolio } = result;
    for (const warning of portfolio.warnings) {
        pulumi.log.warn(formatWarning(warning));
    }
    const { estimate } = estimateOf(portfolio, root);
    const built = new PortfolioComponent(portfolio.config.appName, portfolio, estimate.rtoTargetSeconds).outputs;
    return {
        role: "portfolio",
        region: portfolio.config.region,
        failover: portfolio.config.failover,
        /** The apps' dr stacks by wave, wave 1 first. */
        waves: wavesOf(portfolio.apps).map((w) => ({ wave: w.wave, apps: w.apps.map((a) => a.member.stack) })),
        /** The parent ARC Region switch plan (dr:regionSwitch=true). */
        regionSwitchPlanArn: built.parentPlanArn ?? null,
        estimatedRtoSeconds: estimate.rtoSeconds,
        estimatedRpoSeconds: estimate.rpoSeconds,
        rtoTargetSeconds: estimate.rtoTargetSeconds,
    };
}

// Pulumi's stack outputs are this module's exports: an app's, or a portfolio's.
const stackConfig = pulumi.runtime.allConfig();
export = isPortfolio(stackConfig) ? portfolioStack(stackConfig) : appStack(stackConfig);
