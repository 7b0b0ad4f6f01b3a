// The example third region (Pulumi.dr2.yaml, us-east-2), as its header tells a user to add it: a copy of the
// project's stack files with that file uncommented. The three-region drill and the tests run against the copy,
// so the shipped project keeps its two-region flow and the example is the file that is exercised.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../model/tooling/stackFiles";

/** The example's region set: the pair's two regions, then us-east-2 (what Pulumi.dr2.yaml lists). */
export const EXAMPLE_THREE_REGIONS = ["us-east-1", "us-west-2", "us-east-2"];
/** The example's stack, and the override that gives prod and dr the same set (the header's step 1). */
export const EXAMPLE_THIRD_STACK = "dr2";
export const THREE_REGION_SET = { "dr:regions": JSON.stringify(EXAMPLE_THREE_REGIONS) };

/** The example file with its config uncommented: its lines from `# config:` on, each without its `# `. */
export function uncommentedExample(text: string): string {
    const lines = text.split("\n");
    const from = lines.indexOf("# config:");
    if (from < 0) {
        throw new Error(`Pulumi.${EXAMPLE_THIRD_STACK}.yaml has no "# config:" line to uncomment from`);
    }
    return lines.slice(from).map((l) => l.replace(/^# ?/, "")).join("\n");
}

/** A temporary project folder with every stack file and the third one uncommented; `dispose` removes it. */
export function withExampleThirdRegion(): { readonly root: string; readonly dispose: () => void } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "three-regions-"));
    for (const f of fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f))) {
        fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(root, f));
    }
    const example = path.join(PROJECT_ROOT, `Pulumi.${EXAMPLE_THIRD_STACK}.yaml`);
    fs.writeFileSync(path.join(root, `Pulumi.${EXAMPLE_THIRD_STACK}.yaml`), uncommentedExample(fs.readFileSync(example, "utf8")));
    return { root, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}
