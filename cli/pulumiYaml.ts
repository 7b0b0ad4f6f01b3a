// npm run pulumi-yaml: writes Pulumi.yaml's config block from model/config.ts's CONFIG_KEYS, the one
// source of the contract (tests/config.test.ts fails when the two disagree).
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../model/config";
import { PROJECT_ROOT } from "../model/stackFiles";
import { EXIT, Io, PROCESS_IO, parseCommandLine, runMain } from "./command";

export const USAGE = "usage: npm run pulumi-yaml   (writes Pulumi.yaml's config block from model/config.ts)";

const header = `# The config contract: every dr: key with its type, description and default. Generated from
# model/config.ts by \`npm run pulumi-yaml\` (tests/config.test.ts checks that the two agree).
name: dr
runtime:
  name: nodejs
  options:
    packagemanager: npm
description: All four AWS multi-region disaster-recovery tiers in one program; one stack per region (prod, dr).
config:
`;

export async function pulumiYamlCommand(argv: string[], io: Io = PROCESS_IO): Promise<number> {
    if (parseCommandLine({ usage: USAGE, options: {} }, argv).help) {
        io.out(USAGE);
        return EXIT.ok;
    }
    const body = CONFIG_KEYS.map((k) => {
        const value = k.type === "integer" ? k.default : k.type === "boolean" ? k.default : JSON.stringify(k.default);
        return `  ${k.name}:\n    type: ${k.type}\n    description: ${JSON.stringify(k.description)}\n    default: ${value}\n`;
    }).join("");
    fs.writeFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), header + body);
    io.out(`Pulumi.yaml: ${CONFIG_KEYS.length} keys`);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(USAGE, pulumiYamlCommand);
}
