// The one CLI layer (cli/command.ts) every command runs on: arguments, usage text, exit codes, one error type.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CliError, EXIT, parseCommandLine, wantsHelp, wholeNumberOption } from "../cli/command";
import { ROOT } from "../offline/evaluate";
import { npmScript } from "../tools/npmScript";

interface Run { status: number | null; stdout: string; stderr: string }
function npmRun(name: string, ...args: string[]): Promise<Run> {
    const [exe, ...pre] = npmScript(name);
    return new Promise((resolve) => execFile(exe, [...pre, ...args], { cwd: ROOT, encoding: "utf8" },
        (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr })));
}

describe("the CLI layer", function () {
    this.timeout(20_000);

    it("a bad command line is a usage error (exit 2) that names the option", () => {
        const spec = { usage: "usage: x", options: { stack: { type: "string" } } } as const;
        assert.throws(() => parseCommandLine(spec, ["--stak", "dr"]), (e: unknown) => e instanceof CliError && e.exitCode === EXIT.usage && /'--stak'/.test(e.message));
        assert.throws(() => parseCommandLine(spec, ["stray"]), (e: unknown) => e instanceof CliError && e.exitCode === EXIT.usage);
        assert.equal(parseCommandLine(spec, ["--stack", "dr"]).values.stack, "dr");
        assert.ok(wantsHelp(["failover", "-h"]) && wantsHelp(["--help"]) && !wantsHelp(["--stack", "dr"]));
    });

    it("numbers are checked, not cast: NaN, fractions and out-of-range values are usage errors", () => {
        assert.equal(wholeNumberOption("runs", undefined, 1, 9), undefined);
        assert.equal(wholeNumberOption("runs", "7", 1, 9), 7);
        for (const bad of ["abc", "2.5", "-1", "0", "10", ""]) {
            assert.throws(() => wholeNumberOption("runs", bad, 1, 9), (e: unknown) => e instanceof CliError && e.exitCode === EXIT.usage
                && (e as Error).message === `--runs ${bad}: must be a whole number from 1 to 9`, bad);
        }
    });

    it("every npm script of a command runs cli/<module>.ts, whose usage names that script", () => {
        const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
        const commands = Object.entries(scripts).filter(([, line]) => line.includes("cli/register.js"));
        assert.deepEqual(commands.map(([name]) => name).sort(), ["bench", "contract", "drill", "failback", "failover", "plan"]);
        for (const [name, line] of commands) {
            const file = /cli\/\w+\.ts/.exec(line)![0];
            const source = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.match(source, new RegExp(`export const USAGE = \`usage: npm run ${name === "failback" ? "failover" : name}\\b`), `${file}'s usage`);
            assert.match(source, /runMain\(USAGE, \w+\)/, `${file} runs on the shared layer`);
        }
    });

    describe("a command as the process runs it", () => {
        let help: Run;
        let usage: Run;
        let refused: Run;
        before(async () => {
            [help, usage, refused] = await Promise.all([
                npmRun("failover", "--help"),
                npmRun("failover", "--stak", "dr"),
                npmRun("failover", "--stack", "prod", "--dry-run"),
            ]);
        });

        it("--help prints the usage text and exits 0", () => {
            assert.equal(help.status, EXIT.ok, help.stderr);
            assert.match(help.stdout, /^usage: npm run failover -- --stack <dr stack>/);
        });

        it("a usage error exits 2 with the problem, then the usage text, on stderr", () => {
            assert.equal(usage.status, EXIT.usage);
            assert.match(usage.stderr, /^Unknown option '--stak'[\s\S]*\n\nusage: npm run failover/);
            assert.equal(usage.stdout, "");
        });

        it("a problem the person fixes exits 1 with its message and no stack trace", () => {
            assert.equal(refused.status, EXIT.failed);
            assert.match(refused.stderr, /stack "prod" has dr:role primary: the runbook takes the dr stack/);
            assert.doesNotMatch(refused.stderr, /\n\s+at /);
        });
    });
});
