// Preloaded by `npm run bench` into the commands it measures: reports the process's peak resident memory
// on stderr as it exits. Plain JavaScript, so it adds no transpiler to what is measured.
"use strict";
if (process.env.EXIT_STATS) {
    process.on("exit", () => {
        process.stderr.write(`EXIT_STATS ${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
    });
}
