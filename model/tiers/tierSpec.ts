// What a tier is, in one record: its plan for each stack, its reference numbers, its failover and failback
// procedure, and what the drill can exercise. One file per tier holds its TierSpec (model/tiers/*.ts);
// model/tiers/index.ts gathers them into TIERS.
import type { DrConfig } from "../config/contract";
import type { RegionPlan } from "../regionPlan";
import type { Strategy } from "../strategy";

/** A duration from the reference, with the words it comes from. */
export interface Timed {
    readonly seconds: number;
    /** Where the number comes from (cited in the RTO breakdown). */
    readonly source: string;
}

/** The tier's failover procedure as the RTO model times it (model/objectives.ts). */
export interface RecoveryProfile {
    /** A person declares the disaster and approves the failover (`dr:decisionSeconds` overrides it). */
    readonly decide: Timed;
    /** Making the dr database the writer: promote the replica, restore a backup, or nothing to do. */
    readonly database: Timed;
    /**
     * true: the standby's fleet scales to N and its cache warms (timed from the standby plan).
     * false: compute and cache come up with the provisioning.
     */
    readonly scalesFromStandby: boolean;
    /** The smoke test before declaring the region in service. */
    readonly validate: Timed;
    /** Where the dr region's Aurora data comes from: the live replica (lag) or the newest copied backup. */
    readonly auroraRpo: "replication" | "backups";
}

/** The runbook's failover steps (runbook/failover.ts implements one function per id). */
export type FailoverStepId = "readiness" | "promote-database" | "scale-compute" | "warm-cache" | "shift-traffic" | "reconcile-iac" | "smoke-check";
/** The runbook's failback steps (runbook/failback.ts). "shift-traffic" is one step, or four where records are weighted. */
export type FailbackStepId = "readiness" | "verify-consistency" | "switch-database-back" | "shift-traffic" | "scale-dr-down" | "reconcile-iac";

export interface TierSpec {
    readonly strategy: Strategy;
    /** As people say it. */
    readonly title: string;
    /**
     * The type token of the tier's component. Every tier's component aliases the other tiers' tokens, so a
     * change of `dr:strategy` keeps every URN (wiring/tierComponent.ts).
     */
    readonly typeToken: string;
    /** What a stack of this tier builds in its region: pure, from the stack's validated config. */
    readonly plan: (cfg: DrConfig) => RegionPlan;
    /** Both regions serve in normal times (the dr region is "serving", not "promoted", after a failover). */
    readonly bothRegionsServe: boolean;
    /** docs/reference.md, "Tiers (rule of thumb)": the typical figures, in the reference's words, and the cost as numbers. */
    readonly typical: { readonly rto: string; readonly rpo: string; readonly costPercent: readonly [number, number] };
    /** Targets when `dr:rtoTargetSeconds` / `dr:rpoTargetSeconds` are unset: the top of the typical range. */
    readonly defaultTargets: { readonly rtoSeconds: number; readonly rpoSeconds: number };
    /**
     * Writes that work again without the database's promotion: active-active's DynamoDB global table is
     * multi-active, while its Aurora secondary forwarded writes to the lost writer. The estimate is the
     * worst store's, unless `dr:activeActiveWrites` says the app writes to this store only; then the RTO
     * target defaults to `defaultRtoTargetSeconds`.
     */
    readonly multiActiveWrites?: { readonly store: "dynamodb"; readonly defaultRtoTargetSeconds: number };
    /**
     * The most a Route 53 health check may take to detect a failed region (interval x failure threshold), where
     * the tier cannot afford the policy pack's default of 300 s: detection is the first step of every failover
     * and adds to the RTO one for one. The pack holds a copy in policy/tierNumbers.ts, which `npm run contract`
     * writes from here (the pack is standalone: it imports nothing from the program).
     */
    readonly detectionBudgetSeconds?: number;
    readonly recovery: RecoveryProfile;
    /** The runbook's failover, each step after the steps it waits for. */
    readonly failover: readonly FailoverStepId[];
    /**
     * Which failover steps each step waits for (model/failoverGraph.ts): steps that wait for none of each
     * other run side by side, in the runbook's engine and in the Region switch plan, and the RTO model takes
     * the longest chain, not the sum. A step not listed here waits only for the decision to fail over.
     */
    readonly failoverAfter: Readonly<Partial<Record<FailoverStepId, readonly FailoverStepId[]>>>;
    /** The runbook's failback, in order. */
    readonly failback: readonly FailbackStepId[];
    /** What `pulumi up -s dr` with `dr:failover=true` does in this tier (the runbook's IaC step). */
    readonly iacFailover: {
        /** In words, for the step's title. */
        readonly does: string;
        /**
         * The slow parts the deploy does, side by side (one `pulumi up` creates independent resources in
         * parallel), whose longest the RTO model gives the IaC step: restoring the database, creating the
         * cache the standby does not have, launching the fleet. What stands by already (the network, the
         * ALB, the record, the fence, the roles) is not counted.
         */
        readonly slowParts: readonly ("restore-database" | "create-cache" | "launch-fleet")[];
        /** The database is restored from `dr:restoreFrom` rather than promoted. */
        readonly restoresFromBackup: boolean;
    };
    /**
     * The recovery levers this tier refuses, each with the reason the error gives (model/levers.ts); a lever
     * not named here is allowed.
     */
    readonly refusedLevers: {
        /** `dr:autoFailover auto`: a false alarm must cost little, and nothing may need a person's input. */
        readonly autoFailover?: string;
        /** `dr:warmPool`: the group must scale from a standby. */
        readonly warmPool?: string;
        /** `dr:cacheReplication global-datastore`: a read-only cache standing by at prod's size. */
        readonly globalDatastore?: string;
        /** `dr:standbyDatabase serverless`: an Aurora secondary that stands by without serving. */
        readonly serverlessStandby?: string;
    };
    /**
     * The tier with its levers on, as the plan's picture draws it (the reference configuration issue 16 judges
     * each tier at): the keys a team sets, over the stack files' own.
     */
    readonly referenceLevers: Readonly<Partial<DrConfig>>;
    /** What `npm run drill` exercises against the emulator. */
    readonly drill:
        | { readonly exercised: true; readonly config?: Readonly<Record<string, string>>; readonly note?: string }
        | { readonly exercised: false; readonly why: string };
}
