// The runbook's model: steps that check state before they act, so a re-run after a crash continues where
// the last one stopped, and that are verified by reading state afterwards, not by trusting an HTTP 200.
import type { Route53Client } from "@aws-sdk/client-route-53";
import { DrConfig } from "../model/config";
import { FenceSpec } from "../model/fence";
import { RegionNames } from "../model/naming";
import type { StateBackend } from "../model/tooling/stateBackend";
import { AwsClients } from "./aws";

export type Mode = "planned" | "unplanned";

export interface RunbookContext {
    /** The dr stack's validated config (a portfolio's: its first app's, under the portfolio's dr:appName). */
    readonly cfg: DrConfig;
    readonly stack: string;
    /** A portfolio's context (runbook/context.ts): its apps' dr stacks. Only its parent plan runs with it. */
    readonly portfolio?: readonly string[];
    readonly mode: Mode;
    /**
     * Clients of the dr region (all a failover uses) and of the primary (a planned switchover's readiness
     * check and the failback; an unplanned failover never calls it).
     */
    readonly dr: AwsClients;
    readonly primary: AwsClients;
    /**
     * Route 53's API, a control plane in us-east-1: created on first use, and only the failback uses it (its
     * weighted walk). The failover has no Route 53 client (tests/runbook.sdk.test.ts holds it to that).
     */
    readonly route53: () => Route53Client;
    readonly names: {
        readonly dr: RegionNames;
        readonly primary: RegionNames;
        readonly globalCluster: string;
        /** The primary record's traffic fence, held in the dr region (model/fence.ts). */
        readonly fence: FenceSpec;
        /**
         * The fences the dr region holds of the other recovery regions' records (three or more regions): closed with
         * the primary's, so that only this region's record is left to answer; opened by failback. None in a pair.
         */
        readonly otherFences: readonly FenceSpec[];
    };
    /** The weights the stacks configure (dr:routingWeight of prod and dr): where a weighted failback ends. */
    readonly configuredWeights: { readonly primary: number; readonly dr: number };
    /** The pair's primary stack, by name (its peer: the stack of the same dr:appName in the other role, model/stackPair.ts). */
    readonly primaryStack: string;
    /** The state backend the person's Pulumi CLI uses (PULUMI_BACKEND_URL, else Pulumi.yaml's backend.url), if either says. */
    readonly backend?: StateBackend;
    /** Where the smoke check sends its GET. */
    readonly smokeUrl: string;
    /** How long a step may wait for AWS to reach the state it asked for, and how often it looks. */
    readonly waitSeconds: number;
    readonly pollMs: number;
    /**
     * What the engine records as simulated (EngineOptions.simulate: the drill's emulator gaps), for the steps to
     * see. A key `<step id>:<part>` names a part of a step the emulator cannot perform: the step notes it as
     * simulated (SIMULATED_NOTE) and performs the rest. Unset outside the engine, and on AWS.
     */
    readonly simulate?: ReadonlyMap<string, string>;
    /** Measured along the way, for the report (e.g. the RPO exposure of an unplanned failover). */
    readonly facts: Map<string, string>;
    /** Progress lines for the renderer. */
    log(message: string): void;
}

export interface RunbookStep {
    readonly id: string;
    readonly title: string;
    /** From the RTO model (model/objectives.ts), so the report compares measured with expected. */
    readonly expectedSeconds: number;
    /**
     * Where the RTO model starts the step, in seconds from the procedure's first step: its place on the failover
     * graph's critical-path timeline. Unset: after the step before it (the failback runs step after step).
     */
    readonly expectedStart?: number;
    /** Reads state: true when the step's outcome already holds, and a (re-)run skips it. */
    done(ctx: RunbookContext): Promise<boolean>;
    /** Changes state; afterwards done() must hold, or the step fails. Returns notes for the report. */
    run(ctx: RunbookContext): Promise<string[] | void>;
    /**
     * A step whose outcome cannot be read back (an HTTP smoke check, commands handed to a person): run()
     * is its own verification and done() is not consulted afterwards.
     */
    readonly selfVerifying?: boolean;
    /** A step that only reads: it runs before the person confirms, and its run() is its own verification. */
    readonly readOnly?: boolean;
    /**
     * The ids of the steps it waits for: it starts once each of them has ended well (done, already done,
     * simulated), beside any other step whose waits are over (runbook/engine.ts). Empty: it starts first.
     * Unset: it waits for the step before it, the safe default for a step built without the tier's graph.
     * A wait on a step the run does not include is no wait (a caller may run one step alone).
     */
    readonly after?: readonly string[];
}

/**
 * How a step of a run ended, or that it did not start: the one list of a step's statuses, which the engines
 * (engine.ts, regionSwitchSteps.ts), the progress, and the report with its terminal lines all use.
 */
export const STEP_STATUSES = ["done", "already-done", "simulated", "failed", "not-run", "planned"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface StepResult {
    readonly id: string;
    readonly title: string;
    readonly status: StepStatus;
    readonly expectedSeconds: number;
    /** The model's start of the step (RunbookStep.expectedStart); unset: after the step before it. */
    readonly expectedStart?: number;
    /** Measured wall time of this run of the step. */
    readonly seconds: number;
    /**
     * When the step started and ended, in seconds from the run's start: steps that ran side by side overlap.
     * Unset for a step that never started (planned, not run), and in progress files of runs before these
     * were recorded (runbook/progress.ts lays those end to end, as they ran then).
     */
    readonly startedAt?: number;
    readonly endedAt?: number;
    readonly notes: readonly string[];
}

/**
 * How a step's note starts when part of the step was simulated (an emulator cannot perform it) while the rest
 * ran: the report and the drill list such notes beside the steps simulated whole.
 */
export const SIMULATED_NOTE = "simulated: ";

/** The parts of the results' steps that were simulated, as `<step id>: <reason>`, in the steps' order. */
export function simulatedParts(results: readonly Pick<StepResult, "id" | "status" | "notes">[]): string[] {
    return results.filter((r) => r.status !== "simulated")
        .flatMap((r) => r.notes.filter((n) => n.startsWith(SIMULATED_NOTE)).map((n) => `${r.id}: ${n.slice(SIMULATED_NOTE.length)}`));
}

/**
 * Raised by readiness checks: DR is not ready, and the reasons say why. `needed`: the reasons --force does not
 * go past, because the steps after the check cannot run without what they name (a region that does not
 * answer): going on would change nothing but the report. --force is offered only where it goes past something.
 */
export class NotReadyError extends Error {
    constructor(public readonly reasons: readonly string[], public readonly needed: readonly string[] = []) {
        const mark = (r: string) => (needed.includes(r) ? `${r} [needed: --force does not go past it]` : r);
        super(`DR is not ready:\n${reasons.map((r) => `  - ${mark(r)}`).join("\n")}\n` +
            (needed.length === 0 ? "Fix these, or re-run with --force to proceed anyway."
                : reasons.every((r) => needed.includes(r)) ? "Fix these and re-run."
                : "Fix those marked needed and re-run; --force then goes past the others."));
    }
}

/** The person did not approve: the run stopped before its first change. */
export class NotConfirmedError extends Error {
    constructor() {
        super("not confirmed: nothing was changed");
    }
}

/**
 * Polls `check` until it holds or the context's wait runs out. `explain`, when given, says on giving up what
 * the last look saw and what the person does about it (it may depend on what `check` read).
 */
export async function waitUntil(ctx: RunbookContext, what: string, check: () => Promise<boolean>, explain?: () => string): Promise<void> {
    const deadline = Date.now() + ctx.waitSeconds * 1000;
    for (;;) {
        if (await check()) {
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(`gave up after ${ctx.waitSeconds} s waiting for ${what}${explain ? `: ${explain()}` : ""}`);
        }
        await new Promise((resolve) => setTimeout(resolve, ctx.pollMs));
    }
}
