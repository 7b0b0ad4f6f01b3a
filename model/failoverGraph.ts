// The failover as a graph: which step waits for which (each TierSpec's `failoverAfter`), and its critical
// path, the longest chain of waits, which is the RTO (steps that do not wait for each other run side by side:
// the runbook's engine and the Region switch plan's Parallel block both run them so). Pure.
import type { FailbackStepId, FailoverStepId, TierSpec } from "./tiers/tierSpec";

/**
 * The steps of a failover the RTO model times: the runbook's, after the two that happen before anyone runs
 * it: the outage is detected, and the failover is decided (approved, or started automatically).
 */
export type GraphStepId = "detect" | "decide" | FailoverStepId;

export interface GraphStep {
    readonly id: GraphStepId;
    /** The steps it waits for; none: it starts when the failover does. */
    readonly after: readonly GraphStepId[];
}

/**
 * The tier's failover graph: detect, then decide, then the runbook's steps as its TierSpec orders them; a
 * runbook step that waits for no other step waits for the decision.
 */
export function failoverGraph(spec: Pick<TierSpec, "failover" | "failoverAfter">): GraphStep[] {
    return [
        { id: "detect", after: [] },
        { id: "decide", after: ["detect"] },
        ...spec.failover.map((id) => {
            const after = spec.failoverAfter[id] ?? [];
            return { id, after: after.length > 0 ? [...after] : ["decide" as const] };
        }),
    ];
}

/** A step's place on the timeline of an estimated failover. */
export interface Scheduled {
    readonly id: GraphStepId;
    readonly start: number;
    readonly end: number;
    /** On the critical path: a second more here is a second more of RTO. */
    readonly critical: boolean;
}

export interface Schedule {
    /** Seconds from the outage until the last step ends: the length of the critical path. */
    readonly total: number;
    /** In the graph's order. */
    readonly steps: readonly Scheduled[];
    /** The critical path, first step first. */
    readonly path: readonly GraphStepId[];
}

/**
 * Earliest start of every step (each starts when the last step it waits for ends), and the critical path,
 * traced back from the step that ends last through the predecessor that ends last. The graph must list every
 * step after the steps it waits for (failoverGraphProblems checks it).
 */
export function schedule(graph: readonly GraphStep[], seconds: (id: GraphStepId) => number): Schedule {
    const end = new Map<GraphStepId, number>();
    const start = new Map<GraphStepId, number>();
    const via = new Map<GraphStepId, GraphStepId | undefined>();
    for (const step of graph) {
        let begin = 0;
        let latest: GraphStepId | undefined;
        for (const before of step.after) {
            const e = end.get(before);
            if (e === undefined) {
                throw new Error(`failover graph: ${step.id} waits for ${before}, which is not before it`);
            }
            if (latest === undefined || e > begin) {
                begin = e;
                latest = before;
            }
        }
        start.set(step.id, begin);
        end.set(step.id, begin + seconds(step.id));
        via.set(step.id, latest);
    }
    let last: GraphStepId | undefined;
    for (const step of graph) {
        if (last === undefined || end.get(step.id)! >= end.get(last)!) {
            last = step.id;
        }
    }
    const path: GraphStepId[] = [];
    for (let at = last; at !== undefined; at = via.get(at)) {
        path.unshift(at);
    }
    const onPath = new Set(path);
    return {
        total: last === undefined ? 0 : end.get(last)!,
        steps: graph.map((s) => ({ id: s.id, start: start.get(s.id)!, end: end.get(s.id)!, critical: onPath.has(s.id) })),
        path,
    };
}

/** What is wrong with a tier's graph: a wait on a step the tier does not run, or on one that comes later. */
export function failoverGraphProblems(spec: Pick<TierSpec, "strategy" | "failover" | "failoverAfter">): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const id of spec.failover) {
        for (const before of spec.failoverAfter[id] ?? []) {
            if (!spec.failover.includes(before)) {
                problems.push(`${spec.strategy}: ${id} waits for ${before}, a step the tier does not run`);
            } else if (!seen.has(before)) {
                problems.push(`${spec.strategy}: ${id} waits for ${before}, which comes after it in TierSpec.failover`);
            }
        }
        seen.add(id);
    }
    for (const id of Object.keys(spec.failoverAfter)) {
        if (!spec.failover.includes(id as FailoverStepId)) {
            problems.push(`${spec.strategy}: failoverAfter names ${id}, a step the tier does not run`);
        }
    }
    return problems;
}

/** A step of a procedure as a graph: its id and the ids of the steps it waits for. */
export interface Waits<Id extends string = string> {
    readonly id: Id;
    readonly after: readonly Id[];
}

/**
 * The failback as a graph: each step waits for the one before it. Traffic moves back only once the writer is
 * back, and the dr fleet shrinks only once traffic has left it: nothing in it runs beside the rest.
 */
export function failbackGraph(spec: Pick<TierSpec, "failback">): Waits<FailbackStepId>[] {
    return spec.failback.map((id, i) => ({ id, after: i === 0 ? [] : [spec.failback[i - 1]] }));
}

/**
 * Every step each step waits for, directly or through the steps between: what a reader that runs only some of
 * the steps (the Region switch plan) must still keep in order. The graph lists each step after those it waits for.
 */
export function transitiveWaits<Id extends string>(graph: readonly Waits<Id>[]): Map<Id, ReadonlySet<Id>> {
    const all = new Map<Id, ReadonlySet<Id>>();
    for (const step of graph) {
        const before = new Set<Id>();
        for (const id of step.after) {
            before.add(id);
            for (const earlier of all.get(id) ?? []) {
                before.add(earlier);
            }
        }
        all.set(step.id, before);
    }
    return all;
}
