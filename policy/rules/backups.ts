// Backups: every stack with stateful data takes or receives point-in-time backups, and the copies leave the
// region whose loss they are for.
import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Peeked, UNKNOWN, list, peek, show } from "./props";
import { ofType, receivesLogs } from "./stack";
import { REF, TYPES, kind } from "./types";

/** The region of an AWS Backup vault ARN (`arn:<partition>:backup:<region>:<account>:backup-vault:<name>`). */
export function backupVaultRegion(arn: string): string | undefined {
    const parts = arn.split(":");
    return parts.length >= 7 && parts[0] === "arn" && parts[2] === "backup" && parts[5] === "backup-vault" && parts[3] !== ""
        ? parts[3]
        : undefined;
}

/**
 * The region a stack resource lives in: its own `region` input (@pulumi/aws 7 per-resource region), else its
 * provider's `region`, else the one region all aws providers of the stack agree on. Undefined when none says
 * (e.g. a default provider configured only through AWS_REGION).
 */
export function regionOf(resource: PolicyResource, stack: readonly PolicyResource[]): string | undefined {
    for (const candidate of [peek(resource.props, "region"), peek(resource.provider?.props, "region")]) {
        if (typeof candidate === "string" && candidate !== "") {
            return candidate;
        }
    }
    const regions = new Set<string>();
    for (const r of stack) {
        const provider = r.type === TYPES.awsProvider ? r.props : r.provider?.type === TYPES.awsProvider ? r.provider.props : undefined;
        const region = peek(provider, "region");
        if (typeof region === "string" && region !== "") {
            regions.add(region);
        }
    }
    return regions.size === 1 ? [...regions][0] : undefined;
}

function copyDestinations(plan: PolicyResource): Peeked[] {
    return list(plan.props, "rules").flatMap((rule) => list(rule, "copyActions").map((action) => peek(action, "destinationVaultArn")));
}

export const backupCopiesLeaveTheRegion: StackValidationPolicy = {
    name: "backup-copies-leave-the-region",
    description:
        "Every copy action of an AWS Backup plan targets a backup vault ARN in another region than the plan's. " +
        "Replication copies deletions and corruption too; only point-in-time backups undo them, and only copies " +
        `in another region survive the loss of this one (${REF}, "Tiers (rule of thumb)" and "AWS Backup": copy actions ` +
        "to a vault in another region). The plan's region is its provider's `region` (or its own `region` input, " +
        "or the one region of the stack's aws providers); copies are not judged while it is unknown.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const plan of ofType(args, TYPES.backupPlan)) {
            const region = regionOf(plan, args.resources);
            for (const destination of copyDestinations(plan)) {
                if (destination === UNKNOWN) {
                    continue; // computed: judged at update
                }
                const destinationRegion = typeof destination === "string" ? backupVaultRegion(destination) : undefined;
                if (destinationRegion === undefined) {
                    report(`Backup plan ${plan.name}: copy destination ${show(destination)} is not a backup vault ARN ` +
                        "(arn:aws:backup:<region>:<account>:backup-vault:<name>).", plan.urn);
                } else if (region !== undefined && destinationRegion === region) {
                    report(`Backup plan ${plan.name}: copies to ${destination}, in the plan's own region ${region}; ` +
                        "a regional outage takes the copies with the originals.", plan.urn);
                }
            }
        }
    },
};

export const backupsCopiedCrossRegion: StackValidationPolicy = {
    name: "backups-copied-cross-region",
    description:
        "Every AWS Backup plan copies its recovery points to a vault in another region (at least one copy action " +
        `whose destination vault ARN names another region; ${REF}, "AWS Backup"). Advisory: a promoted or restored ` +
        "DR region keeps its backups local by design, so its deploy never depends on the lost primary region " +
        "(docs/tiers.md, Backups), and failback re-establishes the copies. Anywhere else, a plan without a cross-region " +
        "copy leaves the backups in the region whose loss they are for.",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const plan of ofType(args, TYPES.backupPlan)) {
            const region = regionOf(plan, args.resources);
            const destinations = copyDestinations(plan);
            if (region === undefined && destinations.length > 0) {
                report(`Backup plan ${plan.name}: can't tell the plan's region (no region on it, its provider or the stack's aws ` +
                    "providers), so its copies can't be shown to leave it.", plan.urn);
                continue;
            }
            const offsite = destinations.some((d) => d === UNKNOWN
                || (typeof d === "string" && backupVaultRegion(d) !== undefined && backupVaultRegion(d) !== region));
            if (!offsite) {
                report(`Backup plan ${plan.name} keeps every recovery point in ${region ?? "its own region"}: no rule copies to ` +
                    "another region's vault. Expected only on a promoted or restored DR region.", plan.urn);
            }
        }
    },
};

export const statefulDataBackedUp: StackValidationPolicy = {
    name: "stateful-data-backed-up",
    description:
        "A stack with an Aurora cluster, an S3 bucket (other than one that receives access logs) or a DynamoDB table also has an AWS Backup plan or a backup " +
        "vault (a standby region's vault receives the writer region's copies). Every tier takes backups: " +
        `replication copies deletions and corruption too, and only point-in-time backups undo them (${REF}, "Tiers (rule of thumb)").`,
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        // A bucket that receives access logs holds no data a restore needs: its objects expire by design.
        const stateful = ofType(args, TYPES.auroraCluster, TYPES.table, ...TYPES.buckets).filter((r) => !receivesLogs(args, r));
        if (stateful.length === 0 || ofType(args, TYPES.backupPlan, TYPES.backupVault).length > 0) {
            return;
        }
        report(`No AWS Backup plan and no backup vault in a stack holding ${stateful.map((r) => `${kind(r.type)} ${r.name}`).join(", ")}: ` +
            "nothing here takes or receives point-in-time backups.");
    },
};
