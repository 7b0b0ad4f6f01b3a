// Loaded by mocha before the tests (.mocharc.json): test-process settings that keep the suite fast.
//
// Pulumi captures `new Error().stack` for every promise and resource it creates (runtime/debuggable.js,
// resource.js: Resource.callsites() even lifts Error.stackTraceLimit to Infinity to find the user's source
// position). Under ts-node's source-map support each capture is costly: it was most of a whole-stack test's
// time. Those traces are debugging metadata nobody reads in a passing test:
//   - a promise's trace is printed only with PULUMI_DEBUG_PROMISE_LEAKS set, so unless it is, promises are
//     wrapped with no frames captured (the leak detection itself is unchanged);
//   - a resource's trace is formatted plainly and cut to the frames Pulumi reads (the resource's
//     constructors and the code that called them).
// Stacks of errors raised anywhere else (a failing assertion, the program) keep their source maps.
import * as path from "path";

const pulumiSdk = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
const mapped = Error.prepareStackTrace;
/** Resource.stackTrace(4) skips four frames and takes the next as the source position: a few to spare. */
const PULUMI_FRAMES = 12;

Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): string => {
    if (mapped && !(frames[0]?.getFileName() ?? "").includes(pulumiSdk)) {
        return mapped(error, frames);
    }
    return `${error}\n${frames.slice(0, PULUMI_FRAMES).map((f) => `    at ${f}`).join("\n")}`;
};

if (process.env.PULUMI_DEBUG_PROMISE_LEAKS === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };
    const wrap = debuggable.debuggablePromise;
    debuggable.debuggablePromise = (p, ctx) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return wrap(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}
