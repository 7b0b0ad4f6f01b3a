// The contract's keys by name: each DrConfig field and the key Pulumi knows it by (`aws:region`, `dr:<field>`),
// in the contract's order, which Pulumi.yaml, the README's table and the warnings follow.
import { CONTRACT, ConfigField, KeySpec } from "./contract";

export const CONFIG_FIELDS = Object.keys(CONTRACT) as ConfigField[];

/** The key as Pulumi names it: `aws:region`, `dr:<field>`. */
export function configKey(field: ConfigField): string {
    return field === "region" ? "aws:region" : `dr:${field}`;
}

/** The keys of the project's own namespace, as Pulumi.yaml declares them (without `dr:`). */
export const PROJECT_KEYS: readonly { readonly name: ConfigField; readonly spec: KeySpec }[] =
    CONFIG_FIELDS.filter((f) => f !== "region").map((name) => ({ name, spec: CONTRACT[name] as KeySpec }));

/** Every key the program reads, with its namespace. */
export function configKeyNames(): string[] {
    return CONFIG_FIELDS.map(configKey);
}
