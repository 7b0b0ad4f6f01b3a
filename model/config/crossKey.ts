// Checks between keys, on values that are each valid on their own (model/config/schemas.ts judges each alone):
// the stack's regions and role, the Region switch plan's approvers, the levers each tier refuses, the pagers.
// Pure. The tiers are read here, not in the contract, which the tiers import DrConfig from.
import { hibernationProblem } from "../levers";
import { emailSubscriptionName } from "../naming";
import { approvalTrustPolicy } from "../policies/regionSwitch";
import { regionLimitProblems, regionSet, regionSetProblems } from "../regionSet";
import { configRmCommand, configSetCommand } from "../tooling/shell";
import { TIERS } from "../tiers";
import { CONTRACT, DrConfig } from "./contract";
import { ConfigProblem, setCommand } from "./report";
import { CERTIFICATE_ARN_PATTERN, SNAPSHOT_ARN_PATTERN, TOPIC_ARN_PATTERN } from "./schemas";
import { repeated } from "../lists";

/** CloudWatch: at most 5 actions per alarm state (PutMetricAlarm, AlarmActions); one is the region's own topic. */
const MAX_ALARM_ACTIONS = 5;
const MAX_FORWARDED_TOPICS = MAX_ALARM_ACTIONS - 1;
/** IAM: a role's trust policy may hold 2,048 characters by default (IAM and STS quotas, "Role trust policy length"). */
const MAX_TRUST_POLICY_CHARS = 2048;

/** Records one problem. */
type Add = (key: string, value: string | undefined, message: string, fix: string) => void;

/** Checks between keys, on values that are each valid on their own. */
export function crossKeyProblems(c: DrConfig, stack: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add: Add = (key, value, message, fix) => problems.push({ key, value, message, fix });
    for (const check of [stackProblems, approverProblems, leverProblems, pagerProblems]) {
        check(c, stack, add);
    }
    return problems;
}

/** The stack's regions and role, what it restores from, its image and its certificate. */
function stackProblems(c: DrConfig, stack: string, add: Add): void {
    // The region set and the stack's place in it (model/regionSet.ts owns the set).
    const limits = {
        globalDatabase: !TIERS[c.strategy].iacFailover.restoresFromBackup,
        globalDatastore: c.cacheReplication === "global-datastore",
        strongTable: c.tableConsistency === "strong" && TIERS[c.strategy].multiActiveWrites !== undefined,
    };
    for (const p of [...regionSetProblems(c, { primaryRegion: CONTRACT.primaryRegion.default, drRegion: CONTRACT.drRegion.default }), ...regionLimitProblems(c, limits)]) {
        add(p.key, p.value, p.message, p.set !== undefined ? configSetCommand(p.key, p.set, stack) : configRmCommand(p.key, stack));
    }
    if (c.failover && c.role === "primary") {
        add("dr:failover", "true",
            "applies only to the dr stack (dr:role secondary), which it promotes; the prod stack always describes the primary region",
            configSetCommand("dr:failover", "false", stack));
    }
    const restores = TIERS[c.strategy].iacFailover.restoresFromBackup;
    if (restores && c.role === "secondary" && c.failover && c.restoreFrom === undefined) {
        add("dr:restoreFrom", undefined,
            `is required when a ${c.strategy} dr stack fails over (dr:failover=true): name the recovery point to restore, ` +
            `an Aurora cluster snapshot ARN in ${c.drRegion} (aws backup list-recovery-points-by-backup-vault)`,
            configSetCommand("dr:restoreFrom", CONTRACT.restoreFrom.example, stack));
    }
    if (c.restoreFrom !== undefined && !restores) {
        add("dr:restoreFrom", c.restoreFrom,
            `applies only to dr:strategy backup-restore; ${c.strategy} promotes its live replica instead`, configRmCommand("dr:restoreFrom", stack));
    }
    const snapshotRegion = c.restoreFrom?.match(SNAPSHOT_ARN_PATTERN)?.[1];
    // A recovery stack restores into its own region; on the prod stack the key is ignored (a warning), checked as the dr stack's.
    const restoresInto = c.role === "secondary" ? c.region : regionSet(c).next;
    if (c.restoreFrom !== undefined && snapshotRegion !== restoresInto) {
        add("dr:restoreFrom", c.restoreFrom,
            `is in ${snapshotRegion}, not in the region it restores into (${restoresInto}): restore from the copy in that region's vault`,
            configSetCommand("dr:restoreFrom", CONTRACT.restoreFrom.example, stack));
    }
    if (c.imageId !== undefined && c.imageParameter !== undefined) {
        add("dr:imageParameter", c.imageParameter, "excludes dr:imageId: the app's image comes from one of them",
            `${configRmCommand("dr:imageParameter", stack)}  (or ${configRmCommand("dr:imageId", stack)})`);
    }
    const certRegion = c.certificateArn?.match(CERTIFICATE_ARN_PATTERN)?.[1];
    if (certRegion !== undefined && certRegion !== c.region) {
        add("dr:certificateArn", c.certificateArn,
            `is in ${certRegion}, not in this stack's region ${c.region}: an ALB takes a certificate of its own region (request or import one there)`,
            configSetCommand("dr:certificateArn", CONTRACT.certificateArn.example, stack));
    }
}

/** The Region switch plan's approvers: at least one, each once, within IAM's trust policy size. */
function approverProblems(c: DrConfig, stack: string, add: Add): void {
    if (c.regionSwitch && c.role === "secondary" && (c.approverArns ?? []).length === 0) {
        add("dr:approverArns", "(none)", "must name at least one principal when dr:regionSwitch is true: the plan's approval step needs a decision authority",
            setCommand("approverArns", CONTRACT.approverArns.example, stack));
    }
    if (c.portfolio !== undefined && c.regionSwitch && c.role === "secondary" && c.autoFailover === "auto") {
        add("dr:autoFailover", "auto", `is set on an app of portfolio "${c.portfolio}" (dr:portfolio): its own trigger would fail it over alone, ` +
            "out of the portfolio's order; the portfolio decides for all its apps (docs/portfolio.md)", configSetCommand("dr:autoFailover", "approve", stack));
    }
    const approvers = c.approverArns ?? [];
    const twice = repeated(approvers);
    if (twice.length > 0) {
        add("dr:approverArns", twice.join(", "), "names a principal more than once: keep one", setCommand("approverArns", twice[0], stack));
    }
    const trustSize = JSON.stringify(approvalTrustPolicy([...new Set(approvers)])).length;
    if (c.regionSwitch && c.role === "secondary" && trustSize > MAX_TRUST_POLICY_CHARS) {
        add("dr:approverArns", `${approvers.length} principals`,
            `make the approval role's trust policy ${trustSize} characters, over IAM's default limit of ${MAX_TRUST_POLICY_CHARS}: ` +
            "name a role your approvers assume instead of each of them", setCommand("approverArns", CONTRACT.approverArns.example, stack));
    }
}

/** The levers: what each tier refuses, and the keys a lever needs with it. */
function leverProblems(c: DrConfig, stack: string, add: Add): void {
    const refused = TIERS[c.strategy].refusedLevers;
    if (c.autoFailover === "approve" && c.approvalSeconds === undefined) {
        add("dr:approvalSeconds", undefined,
            "is required with dr:autoFailover approve: the on-call's committed time to approve once paged, the RTO model's decide step",
            configSetCommand("dr:approvalSeconds", CONTRACT.approvalSeconds.example, stack));
    }
    if (c.autoFailover === "auto" && refused.autoFailover !== undefined) {
        add("dr:autoFailover", "auto", `is not allowed for ${c.strategy}: ${refused.autoFailover}`, configSetCommand("dr:autoFailover", "approve", stack));
    }
    if (c.autoFailover === "auto" && refused.autoFailover === undefined && c.role === "secondary" && !c.regionSwitch) {
        add("dr:autoFailover", "auto",
            "starts the pair's ARC Region switch plan, which the dr stack creates with dr:regionSwitch true (and dr:approverArns, for the failback's approval)",
            configSetCommand("dr:regionSwitch", "true", stack));
    }
    if (c.warmPool !== "off" && refused.warmPool !== undefined) {
        add("dr:warmPool", c.warmPool, `does not apply to ${c.strategy}: ${refused.warmPool}`, configSetCommand("dr:warmPool", "off", stack));
    }
    const hibernation = c.warmPool === "hibernated" ? hibernationProblem(c.instanceType) : undefined;
    if (hibernation !== undefined) {
        add("dr:warmPool", "hibernated", `needs an instance type that can hibernate: ${hibernation}; keep the pool stopped, or pick a type such as m7g.large`,
            configSetCommand("dr:warmPool", "stopped", stack));
    }
    if (c.cacheReplication === "global-datastore" && refused.globalDatastore !== undefined) {
        add("dr:cacheReplication", "global-datastore", `does not apply to ${c.strategy}: ${refused.globalDatastore}`,
            configSetCommand("dr:cacheReplication", "none", stack));
    }
    if (c.cacheReplication === "global-datastore" && refused.globalDatastore === undefined && c.role === "secondary" && c.globalDatastoreId === undefined) {
        add("dr:globalDatastoreId", undefined,
            "is required on the dr stack with dr:cacheReplication global-datastore: prod creates the Global Datastore and AWS prefixes its id, " +
            "so copy it from prod's outputs (deploy prod first)",
            `${configSetCommand("dr:globalDatastoreId", "<id>", stack)}  (the id: pulumi stack output globalDatastoreId -s <prod stack>)`);
    }
    if (c.standbyDatabase === "serverless" && refused.serverlessStandby !== undefined) {
        add("dr:standbyDatabase", "serverless", `does not apply to ${c.strategy}: ${refused.serverlessStandby}`,
            configSetCommand("dr:standbyDatabase", "provisioned", stack));
    }
}

/** The pagers: each subscription and topic once, within CloudWatch's actions per alarm, in the stack's region. */
function pagerProblems(c: DrConfig, stack: string, add: Add): void {
    // Addresses that would be one subscription: the same address, or ones that differ in case or punctuation
    // only (their resource names are the same, and the preview would stop on a duplicate name).
    const bySubscription = new Map<string, string[]>();
    for (const email of c.alarmEmails ?? []) {
        const key = emailSubscriptionName("", email);
        bySubscription.set(key, [...(bySubscription.get(key) ?? []), email]);
    }
    for (const same of [...bySubscription.values()].filter((emails) => emails.length > 1)) {
        add("dr:alarmEmails", same.join(", "), `name one subscription ${same.length} times (the same address, or addresses that differ only in ` +
            "case or punctuation): keep one of them", setCommand("alarmEmails", same[0], stack));
    }
    const topics = c.alarmTopicArns ?? [];
    const twice = repeated(topics);
    if (twice.length > 0) {
        add("dr:alarmTopicArns", twice.join(", "), "names a topic more than once: keep one", setCommand("alarmTopicArns", twice[0], stack));
    }
    if (topics.length > MAX_FORWARDED_TOPICS) {
        add("dr:alarmTopicArns", `${topics.length} topics`,
            `names more than ${MAX_FORWARDED_TOPICS}: every alarm notifies the region's own topic and these, and CloudWatch takes at most ` +
            `${MAX_ALARM_ACTIONS} actions per alarm state; subscribe the others to one topic, or to the region's alarm topic`,
            setCommand("alarmTopicArns", topics[0], stack));
    }
    for (const arn of c.alarmTopicArns ?? []) {
        const topicRegion = arn.match(TOPIC_ARN_PATTERN)?.[1];
        if (topicRegion !== c.region) {
            add("dr:alarmTopicArns", arn, `is in ${topicRegion}, not in this stack's region ${c.region}: a CloudWatch alarm notifies topics of its own region`,
                setCommand("alarmTopicArns", `arn:aws:sns:${c.region}:<account>:<topic>`, stack));
        }
    }
}
