// When the runtimes the program ships on stop being usable, and the warning a preview gives before that day. Pure.
//
// A deprecated runtime keeps running what exists, but AWS refuses to create (and later to update) a function or a
// canary on it: the day a failover deploy starts the dr region's canary, or a change updates a custom action, the
// deploy would fail. So the preview warns months ahead, while moving on is a calm one-line change.
import { CANARY_RUNTIME_VERSION } from "./canary";
import { LAMBDA_RUNTIME } from "./reference";

export interface RuntimeLife {
    readonly runtime: string;
    /** What runs on it, and the constant that names it. */
    readonly what: string;
    /** The first day AWS refuses to create on it (ISO date); undefined: AWS has scheduled none. */
    readonly noCreateFrom?: string;
    /** Where that date comes from. */
    readonly basis: string;
}

export const RUNTIME_LIVES: readonly RuntimeLife[] = [
    {
        runtime: LAMBDA_RUNTIME,
        what: "the Lambda functions (LAMBDA_RUNTIME in model/reference.ts)",
        basis: "Lambda has scheduled no deprecation of Node.js 24 (Lambda Developer Guide, \"Lambda runtimes\")",
    },
    {
        runtime: CANARY_RUNTIME_VERSION,
        what: "the canaries (CANARY_RUNTIME_VERSION in model/canary.ts)",
        // Synthetics deprecates a runtime when one of its parts is no longer supported ("Runtime versions support
        // policy"); this one runs on Lambda's Node.js 22, which Lambda stops creating functions on from 2027-06-01.
        // AWS has published no date for the Synthetics runtime itself: an ASSUMPTION until it does (docs/reference.md).
        noCreateFrom: "2027-06-01",
        basis: "expected with Lambda's Node.js 22, which it runs on (Lambda: no new functions from 2027-06-01); Synthetics has published no date yet",
    },
];

/**
 * How long before the day the preview starts warning: a month before Synthetics' own e-mail (60 days before a
 * deprecation, "Runtime versions support policy"), so a team hears it from the monthly preview first.
 */
export const RUNTIME_WARNING_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The warnings due on `today`: a runtime within RUNTIME_WARNING_DAYS of its day, or past it. */
export function runtimeWarnings(today: Date, lives: readonly RuntimeLife[] = RUNTIME_LIVES): string[] {
    return lives.flatMap((life) => {
        if (life.noCreateFrom === undefined) {
            return [];
        }
        const days = Math.ceil((Date.parse(`${life.noCreateFrom}T00:00:00Z`) - today.getTime()) / DAY_MS);
        if (days > RUNTIME_WARNING_DAYS) {
            return [];
        }
        const when = days > 0 ? `from ${life.noCreateFrom}, in ${days} days,` : `since ${life.noCreateFrom}`;
        return [`${life.runtime}, the runtime of ${life.what}: AWS refuses to create on it ${when} (${life.basis}). ` +
            "A deploy that creates one (the failover deploy that starts a canary, a new custom action) would then fail: set the constant to the newest " +
            "runtime AWS lists (Lambda Developer Guide, \"Lambda runtimes\"; CloudWatch User Guide, \"Runtime versions using Node.js and Puppeteer\"), run `npm test`, and deploy both stacks."];
    });
}
