// Reading one resource's props, shared by every rule.
//
// Preview: values AWS computes (ids, ARNs) are unknown during `pulumi preview`, and reading one through the
// policy SDK's proxy throws. A literal setting (storageEncrypted, ttl, ...) is read directly: if it is ever
// unknown, the engine reports the policy as "can't run during preview" (advisory) and checks it at update.
// References (healthCheckId, a bucket id, a vault ARN) are read with `peek`, where unknown means "set, but
// not known yet", so one unknown id does not switch off a whole stack policy.
import { UnknownValueError } from "@pulumi/policy";

/** A value the engine does not know yet (preview): set, but computed by AWS. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
/** A prop as `peek` reads it: its value, or UNKNOWN. */
export type Peeked = unknown;

/** Reads a nested prop without letting an unknown value throw: returns UNKNOWN instead. */
export function peek(obj: unknown, ...path: (string | number)[]): Peeked {
    let current: any = obj;
    for (const key of path) {
        if (current === undefined || current === null || current === UNKNOWN) {
            return current === UNKNOWN ? UNKNOWN : undefined;
        }
        try {
            current = current[key];
        } catch (err) {
            if (err instanceof UnknownValueError) {
                return UNKNOWN;
            }
            throw err;
        }
    }
    return current;
}

/** A list prop as an array (absent: empty). Elements are read through the proxy, so unknown ones stay UNKNOWN. */
export function list(obj: unknown, ...path: (string | number)[]): Peeked[] {
    const value = peek(obj, ...path);
    if (!Array.isArray(value)) {
        return [];
    }
    const out: Peeked[] = [];
    for (let i = 0; i < value.length; i++) {
        out.push(peek(value, i));
    }
    return out;
}

/** A string reference that is set: a non-empty string, or unknown (AWS will fill it in). */
export function isSet(value: Peeked): boolean {
    return value === UNKNOWN || (typeof value === "string" ? value !== "" : value !== undefined && value !== null);
}

/** A value as a message quotes it. */
export function show(value: unknown): string {
    return value === undefined ? "not set" : JSON.stringify(value);
}

/** Whether a type token is one of several (a resource with v6-era aliases). */
export function oneOf(type: string, types: readonly string[]): boolean {
    return types.includes(type);
}
