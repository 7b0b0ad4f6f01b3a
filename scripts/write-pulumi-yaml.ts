// npm run pulumi-yaml: writes Pulumi.yaml's config block from model/config.ts's CONFIG_KEYS, the one
// source of the contract (tests/config.test.ts fails when the two disagree).
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../model/config";

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

const body = CONFIG_KEYS.map((k) => {
    const value = k.type === "integer" ? k.default : k.type === "boolean" ? k.default : JSON.stringify(k.default);
    return `  ${k.name}:\n    type: ${k.type}\n    description: ${JSON.stringify(k.description)}\n    default: ${value}\n`;
}).join("");

fs.writeFileSync(path.join(__dirname, "..", "Pulumi.yaml"), header + body);
console.log(`Pulumi.yaml: ${CONFIG_KEYS.length} keys`);
