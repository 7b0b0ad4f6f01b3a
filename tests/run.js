// npm test: the type-check (tsc --noEmit, the program and the policy pack) and the mocha suite, side by side.
// One after the other they took the sum of both. Side by side, the type-check runs at a lower priority: the
// suite is the longer of the two, and the type-check fills the time the suite spends waiting on moto_server
// and child processes instead of slowing it down. Mocha's output streams as it runs; the type-check's is
// printed when it ends. Exit code: 0 only when both pass.
"use strict";
const { spawn } = require("child_process");
const os = require("os");
const path = require("path");

/** The type-check's priority: below the suite's (os.constants.priority.PRIORITY_BELOW_NORMAL on every platform). */
const BACKGROUND = os.constants.priority.PRIORITY_BELOW_NORMAL;

const root = path.join(__dirname, "..");
const tsc = require.resolve("typescript/bin/tsc");
const mocha = require.resolve("mocha/bin/mocha.js");

/** Runs `node <args>` in the project; resolves with its exit code, its output (captured or not) and its wall time. */
function run(args, { capture, priority }) {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"] });
        if (priority !== undefined) {
            try {
                os.setPriority(child.pid, priority);
            } catch {
                // not permitted here: it runs at the normal priority
            }
        }
        let output = "";
        child.stdout?.on("data", (d) => { output += d; });
        child.stderr?.on("data", (d) => { output += d; });
        child.on("close", (code, signal) => resolve({ code: code ?? 1, signal, output, seconds: (Date.now() - started) / 1000 }));
    });
}

async function typecheck() {
    for (const project of [".", "policy"]) {
        const result = await run([tsc, "--noEmit", "--pretty", "-p", project], { capture: true, priority: BACKGROUND });
        if (result.code !== 0) {
            return { ...result, project };
        }
    }
    return { code: 0, output: "" };
}

(async () => {
    const started = Date.now();
    const checking = typecheck().then((r) => ({ ...r, seconds: (Date.now() - started) / 1000 }));
    const suite = await run([mocha, ...process.argv.slice(2)], { capture: false });
    const types = await checking;
    if (types.code !== 0) {
        process.stderr.write(`\ntype-check failed (tsc --noEmit -p ${types.project}):\n${types.output}\n`);
    }
    console.log(`\nnpm test: type-check ${types.code === 0 ? "passed" : "FAILED"} (${types.seconds.toFixed(1)} s), ` +
        `mocha ${suite.code === 0 ? "passed" : `FAILED (exit ${suite.code}${suite.signal ? `, ${suite.signal}` : ""})`} (${suite.seconds.toFixed(1)} s); ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    process.exit(types.code !== 0 ? types.code : suite.code);
})();
