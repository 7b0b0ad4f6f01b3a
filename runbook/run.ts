// One run of the runbook: builds the context from the stack's config, runs the tier's steps through the
// engine, and writes the drill report (Markdown and an SVG timeline). `npm run failover`, `npm run failback`
// and the drill's runbook phase all run through here.
import * as fs from "fs";
import * as path from "path";
import { EMULATOR_CREDENTIALS } from "../model/emulator";
import { assessObjectives } from "../model/objectives";
import { Overrides } from "../model/stackFiles";
import { runbookContext } from "./context";
import { runSteps } from "./engine";
import { failbackSteps } from "./failback";
import { failoverSteps } from "./failover";
import { reportMarkdown, timelineSvg } from "./report";
import { Mode, NotReadyError, RunbookContext, RunbookStep, StepResult } from "./types";

export interface RunbookArgs {
    readonly kind: "failover" | "failback";
    readonly stack: string;
    readonly mode: Mode;
    readonly dryRun: boolean;
    /** The person approved on the command line (--yes). */
    readonly yes: boolean;
    readonly force: boolean;
    readonly endpoint?: string;
    readonly smokeUrl?: string;
    readonly reportDir: string;
    readonly waitSeconds?: number;
    readonly pollMs?: number;
    /** Steps to record as simulated (the drill, for what the emulator cannot do). */
    readonly simulate?: ReadonlyMap<string, string>;
    readonly renderer?: "default" | "simple" | "silent";
    /** Config overrides on top of the stack file (the drill: another tier, the emulator's zone id). */
    readonly overrides?: Overrides;
    /**
     * Asks a person to approve before the first change (the CLI's prompt on a terminal). Without --yes and
     * without it, the run changes nothing.
     */
    readonly approve?: (ctx: RunbookContext) => Promise<boolean>;
}

export interface RunbookRun {
    readonly results: StepResult[];
    readonly error?: Error;
    readonly reportPath?: string;
    readonly ctx: RunbookContext;
}

/** With --force, readiness problems are reported in the notes and the run goes on. */
function forced(step: RunbookStep): RunbookStep {
    return {
        ...step,
        run: async (ctx) => {
            try {
                return await step.run(ctx);
            } catch (err) {
                if (err instanceof NotReadyError) {
                    return [`forced past: ${err.reasons.join("; ")}`];
                }
                throw err;
            }
        },
    };
}

export async function runRunbook(args: RunbookArgs): Promise<RunbookRun> {
    const ctx = runbookContext({
        stack: args.stack, mode: args.mode,
        target: args.endpoint ? { endpoint: args.endpoint, credentials: EMULATOR_CREDENTIALS } : {},
        smokeUrl: args.smokeUrl, waitSeconds: args.waitSeconds, pollMs: args.pollMs, overrides: args.overrides,
    });
    const steps = (args.kind === "failover" ? failoverSteps(ctx) : failbackSteps(ctx))
        .map((s) => (args.force && s.readOnly ? forced(s) : s));
    const startedAt = new Date();
    const outcome = await runSteps(steps, ctx, {
        dryRun: args.dryRun,
        confirm: async () => args.yes || (args.approve !== undefined && await args.approve(ctx)),
        simulate: args.simulate,
        renderer: args.renderer,
    });
    if (args.dryRun) {
        return { results: outcome.results, ctx };
    }
    const report = {
        kind: args.kind, stack: args.stack, strategy: ctx.cfg.strategy, mode: args.mode, startedAt,
        results: outcome.results, rtoTargetSeconds: assessObjectives(ctx.cfg).targets.rtoSeconds,
        facts: ctx.facts, error: outcome.error?.message, target: args.endpoint ?? "AWS",
    };
    fs.mkdirSync(args.reportDir, { recursive: true });
    const base = path.join(args.reportDir, `${args.kind}-${args.stack}-${startedAt.toISOString().replace(/[:.]/g, "-")}`);
    fs.writeFileSync(`${base}.md`, reportMarkdown(report));
    fs.writeFileSync(`${base}.svg`, timelineSvg(report));
    return { results: outcome.results, error: outcome.error, reportPath: `${base}.md`, ctx };
}
