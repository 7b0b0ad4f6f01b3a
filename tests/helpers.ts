// Helpers the tests share: running the program where it must fail, and reading Outputs.
import * as pulumi from "@pulumi/pulumi";
import { Recorded, runStack } from "../offline/evaluate";
import { Overrides } from "../model/stackFiles";

/** Runs the program for a stack expecting it to fail; returns the error message. */
export async function stackError(stack: string, overrides: Overrides): Promise<string> {
    try {
        await runStack(stack, overrides);
    } catch (err) {
        const created = ((err as { recorded?: Recorded[] }).recorded ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack");
        if (created.length > 0) {
            throw new Error(`the failing program still registered ${created.map((r) => r.type).join(", ")}`);
        }
        return (err as Error).message;
    }
    throw new Error(`stack ${stack} with ${JSON.stringify(overrides)} was expected to fail but deployed`);
}

/** Resolves a value that may be an Output (for component unit tests). */
export function unwrap<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(value).apply((v) => { resolve(v as T); return v; }));
}
