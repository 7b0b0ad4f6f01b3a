// Deletion protection: the data a DR region exists to keep is refused deletion twice, by AWS and by the engine.
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, list, oneOf, peek, show } from "./props";
import { REF, TYPES, kind } from "./types";

export const statefulDataDeletionProtected: ResourceValidationPolicy = {
    name: "stateful-data-deletion-protected",
    description:
        "Aurora clusters and global clusters have deletionProtection, DynamoDB tables (and each replica) " +
        "deletionProtectionEnabled, and these and S3 buckets carry Pulumi's `protect`. The data is what a DR " +
        "region exists to keep: replication copies a deletion to the other region within seconds (Aurora " +
        `lag under 1 s, DynamoDB within a second; ${REF}, "DynamoDB"), so a stray delete or a replacing ` +
        "diff must be refused twice, by AWS and by the engine.",
    enforcementLevel: "mandatory",
    remediationSteps: "Set the deletion-protection input and pass { protect: true } to the resource.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const p = args.props;
        const what = `${kind(args.type)} ${args.name}`;
        const requireProtect = () => {
            if (args.opts?.protect !== true) {
                report(`${what}: not protected (resource option protect is ${show(args.opts?.protect)}); ` +
                    "a replacement or `pulumi destroy` would delete the data.");
            }
        };
        switch (args.type) {
            case TYPES.auroraCluster:
            case TYPES.globalCluster:
                if (p.deletionProtection !== true) {
                    report(`${what}: deletionProtection is ${show(p.deletionProtection)}, must be true.`);
                }
                requireProtect();
                return;
            case TYPES.table: {
                if (p.deletionProtectionEnabled !== true) {
                    report(`${what}: deletionProtectionEnabled is ${show(p.deletionProtectionEnabled)}, must be true.`);
                }
                // The table's flag covers only this region's copy; each replica has its own.
                list(p, "replicas").forEach((replica, i) => {
                    const enabled = peek(replica, "deletionProtectionEnabled");
                    if (enabled !== true && enabled !== UNKNOWN) {
                        report(`${what}: replica ${show(peek(replica, "regionName") ?? i)} has deletionProtectionEnabled ${show(enabled)}, must be true.`);
                    }
                });
                requireProtect();
                return;
            }
            default:
                if (oneOf(args.type, TYPES.buckets)) {
                    requireProtect(); // S3 has no deletion protection of its own
                }
                return;
        }
    },
};
