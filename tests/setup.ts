// Loaded by mocha before the tests (.mocharc.json).
//
// Pulumi captures `new Error().stack` for every promise and resource it creates (runtime/debuggable.js,
// resource.js). ts-node's source-map support makes each capture costly: it was most of a whole-stack
// test's time. Those traces are debugging metadata nobody reads in a passing test, so they are formatted
// plainly; stacks of errors raised anywhere else (a failing assertion, the program) keep their source maps.
import * as path from "path";

const pulumiSdk = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
const mapped = Error.prepareStackTrace;

Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): string => {
    if (mapped && !(frames[0]?.getFileName() ?? "").includes(pulumiSdk)) {
        return mapped(error, frames);
    }
    return `${error}\n${frames.map((f) => `    at ${f}`).join("\n")}`;
};
