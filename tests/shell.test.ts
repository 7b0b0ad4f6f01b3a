// Every command the project prints is pasted into a shell by a person: each argument must come back as
// itself and run nothing. Checked against a real bash.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { configSetCommand, shellCommand, shellQuote } from "../model/tooling/shell";
import { reconcileCommands } from "../runbook/failover";
import { runbookConfig } from "../runbook/context";

/** What bash makes of a command line whose command is `args`: the words it passes, one per line. */
function wordsBashSees(commandLine: string, cwd: string): string[] {
    const script = `args() { printf '%s\\0' "$@"; }\nargs ${commandLine.replace(/^\S+ /, "")}`;
    return execFileSync("bash", ["-c", script], { cwd, encoding: "utf8" }).split("\0").slice(0, -1);
}

describe("commands the project prints are quoted for the shell", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shell-quote-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const NASTY = [
        "x;touch${IFS}f;true", "$(touch f)", "`touch f`", "a'b", "a\"b", "a\\b", "!!", "cron(0 * * * ? *)", "<cluster-snapshot-arn>",
        "two words", "*", "~", "$HOME", "a\nb", "", "plain-value_1.2:3/4",
    ];

    it("each argument reaches the command as itself, and nothing runs", () => {
        for (const arg of NASTY) {
            assert.deepEqual(wordsBashSees(shellCommand("cmd", arg, "-s", "dr"), dir), [arg, "-s", "dr"], JSON.stringify(arg));
        }
        assert.deepEqual(fs.readdirSync(dir), [], "a quoted argument ran a command");
    });

    it("plain words stay bare and readable ones take double quotes", () => {
        assert.equal(configSetCommand("dr:capacity", "4", "dr"), "pulumi config set dr:capacity 4 -s dr");
        assert.equal(shellQuote("cron(0 * * * ? *)"), "\"cron(0 * * * ? *)\"");
        assert.equal(shellQuote("x;touch${IFS}f;true"), "'x;touch${IFS}f;true'");
    });

    it("the runbook's IaC commands quote a recovery point ARN, whatever it holds", () => {
        const cfg = runbookConfig("dr", { "dr:strategy": "backup-restore" });
        const commands = reconcileCommands({ cfg, stack: "dr" }, "arn:aws:rds:us-west-2:1:cluster-snapshot:x;touch${IFS}f;true");
        assert.deepEqual(wordsBashSees(commands[0], dir), ["config", "set", "dr:restoreFrom", "arn:aws:rds:us-west-2:1:cluster-snapshot:x;touch${IFS}f;true", "-s", "dr"]);
        assert.deepEqual(fs.readdirSync(dir), []);
    });
});
