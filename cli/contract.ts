// npm run contract: writes what is derived from the config contract (model/config.ts): Pulumi.yaml's
// config block and the README's table of keys. tests/config.test.ts fails when either differs from it.
import * as fs from "fs";
import * as path from "path";
import { CONFIG_FIELDS, pulumiYamlConfig, readmeKeyTable } from "../model/config";
import { PROJECT_ROOT } from "../model/stackFiles";
import { CliError, EXIT, Io, PROCESS_IO, parseCommandLine, runMain } from "./command";

export const USAGE = `usage: npm run contract   (writes Pulumi.yaml's config block and README.md's key table from model/config.ts)`;

export const PULUMI_YAML_HEADER = `# The config contract: every dr: key with its type, description and default. Generated from
# model/config.ts by \`npm run contract\` (tests/config.test.ts checks that the two agree). Keys without a
# default declare "" so that the program, not the CLI, reports a missing one.
name: dr
runtime:
  name: nodejs
  options:
    packagemanager: npm
description: All four AWS multi-region disaster-recovery tiers in one program; one stack per region (prod, dr).
config:
`;

/** The README's key table sits between these two lines. */
export const TABLE_START = "<!-- config keys: generated from model/config.ts by npm run contract -->";
export const TABLE_END = "<!-- end of config keys -->";

/** The README with its key table replaced by the contract's. */
export function readmeWithTable(readme: string): string {
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    if (start < 0 || end < start) {
        throw new CliError(`README.md has no "${TABLE_START}" ... "${TABLE_END}" block for the key table`);
    }
    return `${readme.slice(0, start + TABLE_START.length)}\n${readmeKeyTable()}${readme.slice(end)}`;
}

export async function contractCommand(argv: string[], io: Io = PROCESS_IO): Promise<number> {
    parseCommandLine({ usage: USAGE, options: {} }, argv);
    fs.writeFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), PULUMI_YAML_HEADER + pulumiYamlConfig());
    const readme = path.join(PROJECT_ROOT, "README.md");
    fs.writeFileSync(readme, readmeWithTable(fs.readFileSync(readme, "utf8")));
    io.out(`Pulumi.yaml and README.md: ${CONFIG_FIELDS.length} keys`);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(USAGE, contractCommand);
}
