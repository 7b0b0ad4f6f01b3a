// What `npm run <name>` runs, as a command to spawn with this Node: the bench and the tests run the commands
// exactly as package.json defines them, without npm's own start-up in the measurement.
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../model/tooling/stackFiles";

/** package.json's script `name` ("node -r sucrase/register/ts cli/plan.ts") as [executable, ...args]. */
export function npmScript(name: string, root = PROJECT_ROOT): [string, ...string[]] {
    const scripts = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts ?? {};
    const line: string | undefined = scripts[name];
    if (line === undefined || !/^node\s/.test(line) || /[|&;<>$`"']/.test(line)) {
        throw new Error(`package.json has no plain "node ..." script named ${name}: ${line}`);
    }
    const [, ...args] = line.trim().split(/\s+/);
    return [process.execPath, ...args];
}
