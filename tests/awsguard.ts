// Pulumi's AWS policy set, @pulumi/awsguard, run offline over the program's recorded resources through
// policy/testing.ts, as the engine would run it with `pulumi preview --policy-pack`:
// - its policies come from the real AwsGuard constructor, with @pulumi/policy's serve() held for the call
//   (a PolicyPack's constructor would bind the analyzer's gRPC server and wait for the engine);
// - each policy's config is reconciled as the engine does: schema defaults, then the pack's initial config;
// - awsguard calls AWS through its own aws-sdk v2 for three policies (ACM, IAM): every such request is
//   refused here before it is sent, and the policy is reported as not run offline, never as a pass.
import * as path from "path";
import type { EnforcementLevel, PolicyPackArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { evaluate, RecordedResource, Violation } from "../policy/testing";

export type Policy = ResourceValidationPolicy | StackValidationPolicy;

/** An AWS call awsguard tried to make (refused: nothing leaves the machine). */
export class OfflineAwsCall extends Error {}

let refusing = false;
/** Makes every request of awsguard's aws-sdk v2 throw OfflineAwsCall before it is signed or sent. */
function refuseAwsCalls(): void {
    if (refusing) {
        return;
    }
    const awsguardDir = path.dirname(require.resolve("@pulumi/awsguard/package.json"));
    process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AWS = require(require.resolve("aws-sdk", { paths: [awsguardDir] }));
    AWS.Service.prototype.makeRequest = function makeRequest(this: { serviceIdentifier: string }, operation: string): never {
        throw new OfflineAwsCall(`${this.serviceIdentifier}.${operation}`);
    };
    refusing = true;
}

export interface AwsGuardPack {
    readonly policies: Policy[];
    /** Per policy: its config as the engine would send it, enforcement level included. */
    readonly config: Record<string, { enforcementLevel: EnforcementLevel } & Record<string, unknown>>;
}

/** The pack `new AwsGuard(initial)` would serve, e.g. `{ all: "mandatory" }`. */
export function awsGuardPack(initial: Record<string, unknown> = { all: "mandatory" }): AwsGuardPack {
    refuseAwsCalls();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const server = require("@pulumi/policy/server") as { serve: (...a: unknown[]) => void };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AwsGuard } = require("@pulumi/awsguard") as { AwsGuard: new (args?: Record<string, unknown>) => unknown };
    const serve = server.serve;
    let served: { level: EnforcementLevel; args: PolicyPackArgs; initial?: Record<string, unknown> } | undefined;
    // policy.js calls serve through the module object, so replacing the export holds the call.
    server.serve = (_name: unknown, _version: unknown, level: unknown, args: unknown, init: unknown) => {
        served = { level: level as EnforcementLevel, args: args as PolicyPackArgs, initial: init as Record<string, unknown> | undefined };
    };
    try {
        new AwsGuard(initial);
    } finally {
        server.serve = serve;
    }
    if (!served) {
        throw new Error("AwsGuard did not hand its policies to serve(): @pulumi/awsguard or @pulumi/policy changed");
    }
    const init = served.initial ?? {};
    const asObject = (v: unknown) => (typeof v === "string" ? { enforcementLevel: v } : (v ?? {})) as Record<string, unknown>;
    const policies = served.args.policies as Policy[];
    const config = Object.fromEntries(policies.map((p) => {
        const defaults = Object.fromEntries(Object.entries(p.configSchema?.properties ?? {})
            .filter(([, schema]) => (schema as { default?: unknown }).default !== undefined)
            .map(([key, schema]) => [key, (schema as { default?: unknown }).default]));
        const level = (asObject(init[p.name]).enforcementLevel ?? asObject(init.all).enforcementLevel
            ?? p.enforcementLevel ?? served!.level) as EnforcementLevel;
        return [p.name, { ...defaults, ...asObject(init[p.name]), enforcementLevel: level }];
    }));
    return { policies, config };
}

export interface AwsGuardResult {
    readonly violations: Violation[];
    /** Policies that would call AWS to decide, with the call refused. */
    readonly notRun: { policy: string; call: string }[];
}

/** Every awsguard policy over one stack's recorded resources. */
export async function runAwsGuard(pack: AwsGuardPack, stack: string, resources: readonly RecordedResource[]): Promise<AwsGuardResult> {
    const violations: Violation[] = [];
    const notRun: { policy: string; call: string }[] = [];
    for (const policy of pack.policies) {
        try {
            violations.push(...await evaluate([policy], resources, { stack, project: "dr", config: pack.config }));
        } catch (err) {
            if (!(err instanceof OfflineAwsCall)) {
                throw err;
            }
            notRun.push({ policy: policy.name, call: err.message });
        }
    }
    return { violations, notRun };
}

/**
 * awsguard 0.3.1 knows load balancers only by the tokens of @pulumi/aws 4's modules, which @pulumi/aws 7
 * registers as aliases of `aws:lb/*`: the same resources, re-typed, to see what its ELB policies say.
 */
export const LB_V4_TOKENS: Readonly<Record<string, string>> = {
    "aws:lb/loadBalancer:LoadBalancer": "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
    "aws:lb/listener:Listener": "aws:elasticloadbalancingv2/listener:Listener",
};

export function asV4LoadBalancers(resources: readonly RecordedResource[]): RecordedResource[] {
    return resources.filter((r) => LB_V4_TOKENS[r.type] !== undefined).map((r) => ({ ...r, type: LB_V4_TOKENS[r.type] }));
}
