// What a validation reports: a problem with a key, a key it ignores, each with the command that fixes it,
// and how `pulumi preview` prints them. Pure.
import { configSetCommand, shellCommand } from "../tooling/shell";
import { CONTRACT, ConfigField, KeySpec } from "./contract";
import { configKey } from "./keys";

/** A problem with one key: what is wrong and the command that fixes it. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: string | undefined;
    readonly message: string;
    readonly fix: string;
}

/** A key that is set but ignored in this configuration, and why. */
export interface ConfigWarning {
    readonly key: string;
    readonly value: string;
    readonly message: string;
    readonly fix: string;
}

/** The command that sets a key: a list's first item by path, as Pulumi.yaml declares lists as arrays. */
export function setCommand(field: ConfigField, value: string, stack: string): string {
    return (CONTRACT[field] as KeySpec).type === "array"
        ? shellCommand("pulumi", "config", "set", "--path", `${configKey(field)}[0]`, value, "-s", stack)
        : configSetCommand(configKey(field), value, stack);
}

/** One readable report of every problem, for the error `pulumi preview` prints. */
export function formatProblems(problems: readonly ConfigProblem[], stack: string): string {
    const lines = problems.map((p, i) => {
        const shown = p.value === undefined ? "(not set)" : JSON.stringify(p.value);
        return `  ${i + 1}. ${p.key} = ${shown}: ${p.message}.\n     fix: ${p.fix}`;
    });
    const count = problems.length === 1 ? "1 configuration problem" : `${problems.length} configuration problems`;
    return `Stack "${stack}" has ${count}:\n${lines.join("\n")}`;
}

/** A warning, as `pulumi preview` shows it. */
export function formatWarning(w: ConfigWarning): string {
    return `${w.key} = ${JSON.stringify(w.value)} ${w.message}. To remove it: ${w.fix}`;
}
