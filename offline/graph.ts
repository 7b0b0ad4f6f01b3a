// The registered resource graph of a stack, reduced to what must not change when code moves: each resource's
// URN (its parents' types and its own type and name, as Pulumi builds it), its options, the region it is created
// in, and a digest of its inputs. tests/graph.test.ts holds every tier's stacks to the graph recorded in
// tests/fixtures/graph.json; `npm run graph` writes that file again, for a change that means to alter the graph.
import { createHash } from "crypto";
import { Recorded, Recording } from "./evaluate";

export interface GraphEntry {
    readonly urn: string;
    readonly options: string;
    readonly inputs: string;
}

/** A value with its object keys sorted, so that equal inputs serialise equally. */
function canonical(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(canonical);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
    }
    return value;
}

function urnOf(r: Recorded, byName: Map<string, Recorded>): string {
    const types: string[] = [];
    for (let p = r.parent === undefined ? undefined : byName.get(r.parent); p !== undefined && p.type !== "pulumi:pulumi:Stack"; p = p.parent === undefined ? undefined : byName.get(p.parent)) {
        types.unshift(p.type);
    }
    return `${[...types, r.type].join("$")}::${r.name}`;
}

export function graphOf(recording: Recording): GraphEntry[] {
    const byName = new Map(recording.resources.map((r) => [r.name, r]));
    return recording.resources
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => ({
            urn: urnOf(r, byName),
            options: JSON.stringify(canonical({
                protect: r.protect ?? false, retainOnDelete: r.retainOnDelete ?? false,
                ignoreChanges: [...(r.ignoreChanges ?? [])].sort(), provider: (r.provider ?? "").replace(/^.*::([^:]+)::.*$/, "$1"),
            })),
            inputs: createHash("sha256").update(JSON.stringify(canonical(r.inputs))).digest("hex").slice(0, 16),
        }))
        .sort((a, b) => a.urn.localeCompare(b.urn));
}

const APPROVERS = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };
/**
 * Every lever each tier allows, on (model/levers.ts; the TierSpec refuses the others): the widest graph of its dr
 * stack, which the graph test and the recovery-path test evaluate. Config overrides, keyed as a stack file is.
 */
export const EVERY_LEVER: Readonly<Record<string, Record<string, string>>> = {
    "backup-restore": { "dr:autoFailover": "approve", "dr:approvalSeconds": "300", "dr:restoreSeconds": "3600", ...APPROVERS },
    "pilot-light": { "dr:autoFailover": "approve", "dr:approvalSeconds": "300", "dr:warmPool": "stopped", "dr:standbyDatabase": "serverless", ...APPROVERS },
    "warm-standby": {
        "dr:autoFailover": "auto", "dr:warmPool": "hibernated", "dr:standbyDatabase": "serverless", "dr:canaryRateMinutes": "1",
        "dr:cacheReplication": "global-datastore", "dr:globalDatastoreId": "mockx-shop-use1-cache", ...APPROVERS,
    },
    "active-active": { "dr:autoFailover": "auto", "dr:warmPool": "running", "dr:activeActiveCapacityPercent": "50", ...APPROVERS },
};
const RESTORE_FROM = { "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1" };

/** The stacks whose graphs are held: per tier, prod, dr standing by and failed over, and dr with every lever on. */
export function graphCases(strategies: readonly string[]): { readonly name: string; readonly stack: string; readonly overrides: Record<string, string> }[] {
    return strategies.flatMap((strategy) => {
        const tier = { "dr:strategy": strategy };
        const failover = { ...tier, "dr:failover": "true", ...(strategy === "backup-restore" ? RESTORE_FROM : {}) };
        return [
            { name: `${strategy} prod`, stack: "prod", overrides: tier },
            { name: `${strategy} dr`, stack: "dr", overrides: tier },
            { name: `${strategy} dr failed over`, stack: "dr", overrides: failover },
            { name: `${strategy} dr, every lever`, stack: "dr", overrides: { ...tier, ...EVERY_LEVER[strategy] } },
        ];
    });
}
