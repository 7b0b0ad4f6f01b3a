// What `npm run contract` writes from the contract (cli/contract.ts): Pulumi.yaml's config block and the
// README's key table. tests/config.test.ts fails when either file differs from what these return.
import { CONTRACT, KeySpec } from "./contract";
import { CONFIG_FIELDS, PROJECT_KEYS, configKey } from "./keys";

/** Pulumi.yaml's `config:` block: every dr: key with its type, description and default ("" where it has none). */
export function pulumiYamlConfig(): string {
    return PROJECT_KEYS.map(({ name, spec }) => {
        const value = spec.presence === "default" ? spec.default : "";
        if (spec.type === "array") {
            return `  ${name}:\n    type: array\n    items:\n      type: string\n    description: ${JSON.stringify(spec.description)}\n    default: []\n`;
        }
        const shown = spec.type === "string" ? JSON.stringify(value) : value;
        return `  ${name}:\n    type: ${spec.type}\n    description: ${JSON.stringify(spec.description)}\n    default: ${shown}\n`;
    }).join("");
}

/** The README's table of keys: key, default, meaning. */
export function readmeKeyTable(): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    const rows = CONFIG_FIELDS.map((field) => {
        const spec = CONTRACT[field] as KeySpec;
        const shown = spec.presence === "default" ? `\`${spec.default}\`` : spec.presence === "required" ? "(required)" : spec.unset;
        return `| \`${configKey(field)}\` | ${cell(shown)} | ${cell(spec.description)} |`;
    });
    return ["| key | default | meaning |", "|---|---|---|", ...rows].join("\n") + "\n";
}
