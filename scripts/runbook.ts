// npm run failover -- --stack dr [--planned | --unplanned] [--dry-run] [--yes] [--force] [--endpoint URL]
// npm run failback -- --stack dr [--dry-run] [--yes] [--force] [--endpoint URL]
// Runs the time-critical steps of the reference's procedure for the configured tier; writes a drill report.
import * as readline from "readline/promises";
import { parseArgs } from "util";
import { assessObjectives } from "../model/objectives";
import { RunbookArgs, RunbookRun, runRunbook } from "../runbook/run";
import { RunbookContext, StepResult } from "../runbook/types";

const USAGE = `usage: npm run failover -- --stack <dr stack> [--planned | --unplanned] [--dry-run] [--yes] [--force]
                           [--endpoint URL] [--smoke-url URL] [--report-dir DIR]
       npm run failback -- --stack <dr stack> [--dry-run] [--yes] [--force] [--endpoint URL] [--report-dir DIR]`;

export function parseRunbookArgs(argv: string[]): RunbookArgs {
    const [kind, ...rest] = argv;
    if (kind !== "failover" && kind !== "failback") {
        throw new UsageError(`first argument must be failover or failback\n${USAGE}`);
    }
    const { values } = parseArgs({
        args: rest,
        options: {
            stack: { type: "string", default: "dr" },
            planned: { type: "boolean", default: false },
            unplanned: { type: "boolean", default: false },
            "dry-run": { type: "boolean", default: false },
            yes: { type: "boolean", default: false },
            force: { type: "boolean", default: false },
            endpoint: { type: "string" },
            "smoke-url": { type: "string" },
            "report-dir": { type: "string", default: "reports" },
            "wait-seconds": { type: "string" },
        },
        strict: true,
    });
    if (values.planned && values.unplanned) {
        throw new UsageError(`--planned and --unplanned exclude each other\n${USAGE}`);
    }
    if (kind === "failback" && values.unplanned) {
        throw new UsageError("failback is always planned: the primary region must be back");
    }
    return {
        kind,
        stack: values.stack!,
        mode: values.unplanned ? "unplanned" : "planned",
        dryRun: values["dry-run"]!,
        yes: values.yes!,
        force: values.force!,
        endpoint: values.endpoint,
        smokeUrl: values["smoke-url"],
        reportDir: values["report-dir"]!,
        waitSeconds: values["wait-seconds"] === undefined ? undefined : Number(values["wait-seconds"]),
    };
}

export class UsageError extends Error {}

async function askToConfirm(args: RunbookArgs, ctx: RunbookContext): Promise<boolean> {
    if (!process.stdin.isTTY) {
        console.error(`refusing to ${args.kind} without a person: no terminal to confirm on. Re-run with --yes to approve.`);
        return false;
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`\n${args.kind} ${ctx.stack} (${ctx.cfg.strategy}, ${ctx.mode}) into ${ctx.cfg.drRegion}? ` +
        `Type the stack name to approve: `);
    rl.close();
    return answer.trim() === ctx.stack;
}

/** One line a step: status, measured seconds, id and notes (the runbook and the drill print them alike). */
export function printResults(results: readonly StepResult[]): void {
    for (const r of results) {
        console.log(`  ${r.status.padEnd(12)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.id}${r.notes.length ? `: ${r.notes.join("; ")}` : ""}`);
    }
}

function printPlan(run: RunbookRun, kind: string): void {
    const { cfg, mode } = run.ctx;
    console.log(`${kind} plan for ${run.ctx.stack}: ${cfg.strategy}, ${mode}, into ${cfg.drRegion} (dry run: nothing changes)`);
    run.results.forEach((r, i) => console.log(`  ${String(i + 1).padStart(2)}. ${r.title}  (~${r.expectedSeconds} s)`));
    const expected = run.results.reduce((s, r) => s + r.expectedSeconds, 0);
    console.log(`  expected in all: ${expected} s; RTO target ${assessObjectives(cfg).targets.rtoSeconds} s`);
}

async function main(): Promise<number> {
    let args: RunbookArgs;
    try {
        args = parseRunbookArgs(process.argv.slice(2));
    } catch (err) {
        console.error((err as Error).message);
        return 2;
    }
    try {
        const run = await runRunbook({ ...args, approve: (ctx) => askToConfirm(args, ctx) });
        if (args.dryRun) {
            printPlan(run, args.kind);
            return 0;
        }
        console.log(`\nreport: ${run.reportPath} (and .svg)`);
        printResults(run.results);
        if (run.error) {
            console.error(`\n${args.kind} stopped: ${run.error.message}\nRe-run the same command to continue: finished steps are skipped.`);
            return 1;
        }
        return 0;
    } catch (err) {
        console.error((err as Error).message);
        return 1;
    }
}

if (require.main === module) {
    main().then((code) => process.exit(code));
}
