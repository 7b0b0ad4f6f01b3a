// A DR pair offline: both stacks' evaluations under Pulumi's mocks (the configs come from model/stackPair.ts);
// and a region set's, every stack of it (model/stackSet.ts). The plan and the bench use it.
import { Overrides } from "../model/tooling/stackFiles";
import { PairConfigs, PairError, peerOverrides } from "../model/stackPair";
import type { SetConfigs } from "../model/stackSet";
import { ROOT, Recording, runStack } from "./evaluate";

export interface Evaluation {
    readonly recording: Recording;
    /** What the program warned about (pulumi.log.warn), without the objectives warning. */
    readonly warnings: string[];
}

/**
 * Runs the program for a stack under mocks with the objectives not enforced (a plan shows a configuration
 * that misses them too), keeping the program's warnings apart from the console.
 */
export async function evaluateStack(stack: string, overrides: Overrides, root: string = ROOT): Promise<Evaluation> {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => { warnings.push(args.map(String).join(" ").replace(/^warning: \[runtime\] /, "")); };
    try {
        const recording = await runStack(stack, { ...overrides, "dr:enforceObjectives": "false" }, root);
        return { recording, warnings: warnings.filter((w) => !w.includes("cannot meet its recovery objectives")) };
    } catch (err) {
        throw new PairError(`Evaluating stack "${stack}" failed: ${(err as Error).message}`);
    } finally {
        console.warn = warn;
    }
}

/** Both stacks of the pair, evaluated one after the other (the mock runtime is process-wide). */
export async function evaluatePair(pair: PairConfigs, overrides: Overrides, root: string = ROOT): Promise<{ prod: Evaluation; dr: Evaluation }> {
    const own = await evaluateStack(pair.stack, overrides, root);
    const other = await evaluateStack(pair.peer, peerOverrides(overrides), root);
    return pair.stack === pair.prodStack ? { prod: own, dr: other } : { prod: other, dr: own };
}

/**
 * Every stack of a region set, one after the other, in the set's order: the named one with the overrides, the
 * others with the set's keys of them (peerOverrides).
 */
export async function evaluateSet(set: SetConfigs, overrides: Overrides, root: string = ROOT): Promise<Evaluation[]> {
    const evaluations: Evaluation[] = [];
    for (const m of set.members) {
        evaluations.push(await evaluateStack(m.stack, m.stack === set.stack ? overrides : peerOverrides(overrides), root));
    }
    return evaluations;
}
