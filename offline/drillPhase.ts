// The drill's runbook phase: one run of the runbook against the emulator, exactly as
// `npm run <failover|failback> -- --stack dr --yes [--unplanned]` runs it, with the steps the emulator cannot perform
// recorded as simulated. It loads the runbook and nothing of Pulumi (tests/boundaries.test.ts).
import { Overrides } from "../model/tooling/stackFiles";
import { RunbookRun, runRunbook } from "../runbook/run";
import type { Mode } from "../runbook/types";
import { EMULATOR_GAPS } from "./moto";

/** A drill waits briefly: moto scales and reports targets healthy at once. */
export const DRILL_WAIT_SECONDS = 20;
export const DRILL_POLL_MS = 200;

export interface DrillPhase {
    readonly kind: "failover" | "failback";
    readonly stack: string;
    /** The emulator every AWS call goes to. */
    readonly endpoint: string;
    /** Where the smoke check sends its GET: the app's loopback stand-in. */
    readonly smokeUrl: string;
    readonly reportDir: string;
    /** Config on top of the stack file: another tier, the emulator's hosted zone. */
    readonly overrides: Overrides;
    /** Default planned; the outage drill's failover is unplanned. */
    readonly mode?: Mode;
    readonly renderer?: "default" | "simple" | "silent";
    /** The project folder whose stack files the run reads (default: this project's). */
    readonly root?: string;
}

export function runDrillPhase(p: DrillPhase): Promise<RunbookRun> {
    return runRunbook({
        kind: p.kind, stack: p.stack, mode: p.mode ?? "planned", dryRun: false, yes: true, force: false,
        endpoint: p.endpoint, smokeUrl: p.smokeUrl, reportDir: p.reportDir,
        waitSeconds: DRILL_WAIT_SECONDS, pollMs: DRILL_POLL_MS, simulate: EMULATOR_GAPS, overrides: p.overrides, renderer: p.renderer, root: p.root,
    });
}
