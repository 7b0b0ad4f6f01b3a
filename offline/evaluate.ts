// Evaluating the program without a cloud: runs Pulumi code under the SDK's mock monitor and records every
// resource it registers, with its inputs, its options and the outputs the mocks gave it. The offline plan,
// the bench, the drill's seed and the tests all see the program through this.
//
// runStack() runs the real index.ts for a stack, with config layered as the Pulumi CLI layers it:
// Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then the caller's overrides.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { regionSwitchPlanName } from "../model/naming";
import { parseDrConfig } from "../model/config";
import { regionSet, regionSwitchPlanNameIn } from "../model/regionSet";
import { Overrides, PROJECT, PROJECT_ROOT, layeredConfig } from "../model/tooling/stackFiles";

export const ROOT = PROJECT_ROOT;
/** The account the mocks answer getCallerIdentity with. */
export const ACCOUNT_ID = "123456789012";

/** One registered resource: its inputs as the provider would receive them, and the options it was given. */
export interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    /** Provider reference (`urn::id`) of a custom resource. */
    readonly provider?: string;
    readonly custom: boolean;
    readonly ignoreChanges?: string[];
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
    /** The parent's name, or undefined for the stack's direct children. */
    readonly parent?: string;
    /** The id the mocks gave the resource (its physical name where AWS uses that). */
    readonly id?: string;
    /** The outputs the mocks gave it: its inputs plus what AWS would compute (an ARN, a DNS name). */
    readonly state?: Record<string, any>;
}

export class Recording {
    constructor(public readonly resources: Recorded[], public readonly outputs: Record<string, any>) {}

    ofType(type: string): Recorded[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of a type (whose logical name contains `nameContains`, if given); fails when there are none or several. */
    one(type: string, nameContains = ""): Recorded {
        const found = this.ofType(type).filter((r) => r.name.includes(nameContains));
        if (found.length !== 1) {
            throw new Error(`expected exactly one ${type} named *${nameContains}*, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
        }
        return found[0];
    }

    has(type: string): boolean {
        return this.ofType(type).length > 0;
    }
}

/**
 * The region of a provider reference: providers are named after their region (index.ts: aws-<region>;
 * strategies/region.ts: aws-<region>-read). A component under test has none: us-east-1.
 */
function providerRegion(ref: string | undefined): string {
    return /::aws-([a-z]{2}(?:-[a-z]+)+-\d+)(?:-read)?::/.exec(ref ?? "")?.[1] ?? "us-east-1";
}

/** What an app's dr stack reports, as its stack file configures it: the outputs a portfolio reads (wiring/portfolio.ts). */
function referencedOutputs(qualifiedName: string, root: string): Record<string, unknown> {
    const stack = qualifiedName.split("/").pop()!;
    const raw = layeredConfig(stack, {}, root);
    const regionSwitch = raw["dr:regionSwitch"] === "true";
    // The plan of the stack's region (model/regionSet.ts): the pair's name into the first recovery region, another's into another.
    const parsed = parseDrConfig(raw, stack);
    const planName = parsed.ok ? regionSwitchPlanNameIn(regionSet(parsed.config), parsed.config.appName, parsed.config.region) : regionSwitchPlanName(raw["dr:appName"] ?? "app");
    return {
        role: raw["dr:role"], region: raw["aws:region"],
        regionSwitchPlanArn: regionSwitch ? `arn:aws:arc-region-switch::${ACCOUNT_ID}:plan/${planName}:mock01` : null,
    };
}

/** Outputs the mocks invent for resources whose real values AWS (or the awsx plugin) would compute. */
function computedState(type: string, name: string, inputs: Record<string, any>, region: string, root: string): Record<string, any> {
    const arn = `arn:aws:mock:::${type}/${name}`;
    switch (type) {
        case "awsx:ec2:Vpc": // a remote component: under mocks its children never exist, so it is given outputs
            return { vpcId: `${name}-vpc-id`, publicSubnetIds: [`${name}-pub-a`, `${name}-pub-b`], privateSubnetIds: [`${name}-priv-a`, `${name}-priv-b`] };
        case "aws:lb/loadBalancer:LoadBalancer":
            return { arn, dnsName: `${inputs.name}.elb.example`, zoneId: "ZALBMOCK" };
        case "aws:rds/cluster:Cluster":
            return { arn, endpoint: `${inputs.clusterIdentifier}.cluster.example` };
        case "aws:rds/globalCluster:GlobalCluster":
            return { arn };
        case "aws:s3/bucket:Bucket":
            return { arn: `arn:aws:s3:::${inputs.bucket}` };
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return { arn, primaryEndpointAddress: `${inputs.replicationGroupId}.cache.example` };
        case "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup":
            // AWS prefixes the suffix with a code of the primary's region.
            return { arn, globalReplicationGroupId: `mockx-${inputs.globalReplicationGroupIdSuffix}` };
        case "aws:synthetics/canary:Canary":
            // Synthetics names the canary's function cwsyn-<name>-<id>; the ARN carries its version.
            return { arn, engineArn: `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:cwsyn-${inputs.name}-0123abcd-4567-89ef-0123-456789abcdef:1` };
        case "aws:route53/record:Record":
            return { fqdn: inputs.name };
        case "aws:kms/key:Key":
            return { arn, keyId: `${name}-key-id` };
        case "aws:acm/certificate:Certificate":
            return {
                arn: `arn:aws:acm:${region}:${ACCOUNT_ID}:certificate/00000000-0000-4000-8000-${name.length.toString().padStart(12, "0")}`,
                domainValidationOptions: [{
                    domainName: inputs.domainName, resourceRecordName: `_mock.${inputs.domainName}.`,
                    resourceRecordType: "CNAME", resourceRecordValue: "_mock.acm-validations.aws.",
                }],
            };
        case "random:index/randomPassword:RandomPassword":
            return { result: "mock-password" };
        case "pulumi:pulumi:StackReference":
            // Pulumi's state of another stack of this project (a portfolio reads its apps' plans): the app's dr
            // stack reports its Region switch plan, whose ARN ends in a suffix AWS generates.
            return { outputs: referencedOutputs(String(inputs.name), root) };
        default:
            return { arn };
    }
}

/** Resources whose id AWS sets to the physical name the program chose. */
function physicalId(type: string, inputs: Record<string, any>): string | undefined {
    switch (type) {
        case "aws:rds/globalCluster:GlobalCluster": return inputs.globalClusterIdentifier;
        case "aws:rds/cluster:Cluster": return inputs.clusterIdentifier;
        case "aws:s3/bucket:Bucket": return inputs.bucket;
        case "aws:autoscaling/group:Group": return inputs.name;
        default: return undefined;
    }
}

const mocks = (recorded: Recorded[], root: string): pulumi.runtime.Mocks => ({
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        const id = physicalId(args.type, args.inputs) ?? `${args.name}-id`;
        const region = providerRegion(args.provider);
        const state = { ...args.inputs, name: args.inputs.name ?? args.name, ...computedState(args.type, args.name, args.inputs, region, root) };
        const existing = recorded.find((r) => r.type === args.type && r.name === args.name);
        const entry = { ...existing, type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, custom: args.custom ?? true, id, state };
        if (existing) {
            Object.assign(existing, entry);
        } else {
            recorded.push(entry as Recorded);
        }
        return { id, state };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`, userId: "TEST", id: ACCOUNT_ID };
        }
        if (args.token === "aws:autoscaling/getGroup:getGroup") {
            // The dr stack's one read of the primary region, in normal times (components/regionSwitchPlan.ts).
            const region = providerRegion(args.provider);
            const arn = `arn:aws:autoscaling:${region}:${ACCOUNT_ID}:autoScalingGroup:00000000-0000-4000-8000-000000000000:autoScalingGroupName/${args.inputs.name}`;
            return { arn, name: args.inputs.name, id: args.inputs.name };
        }
        if (args.token === "aws:lb/getLoadBalancer:getLoadBalancer") {
            // The dr stack's detector watches the primary's load balancer, read in normal times.
            return { name: args.inputs.name, dnsName: `${args.inputs.name}-0123456789.${providerRegion(args.provider)}.elb.example`, arn: `arn:aws:mock:::lb/${args.inputs.name}`, id: args.inputs.name };
        }
        if (args.token === "aws:ssm/getParameter:getParameter") {
            // The dr stack's read of prod's cache token, in normal times, where its cache is a Global Datastore member.
            return { name: args.inputs.name, value: `mock-token-of-${providerRegion(args.provider)}`, type: "SecureString", id: args.inputs.name };
        }
        throw new Error(`unexpected invoke ${args.token}: the program must not depend on it`);
    },
});

/**
 * Runs `init` inside a Pulumi stack under mocks; returns every resource it registered and the stack's outputs.
 * Options the mock monitor does not see (ignoreChanges, protect, parent) are captured by a stack transformation.
 */
export async function record(init: () => Record<string, any> | void, stack = "test", config: Record<string, string> = {}, root = ROOT): Promise<Recording> {
    const recorded: Recorded[] = [];
    pulumi.runtime.setAllConfig(config);
    // The organization Pulumi Cloud (or a DIY backend, "organization") gives: a stack reference names it.
    await pulumi.runtime.setMocks(mocks(recorded, root), PROJECT, stack, false, "organization");
    // Where Pulumi.yaml is, as the CLI tells the program (PULUMI_NODEJS_ROOT_DIRECTORY): setMocks sets the
    // project and the stack the same way, and leaves this one a placeholder. A portfolio reads its apps there.
    (require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { options: { rootDirectory?: string } } } }).getStore().settings.options.rootDirectory = root;
    const run = pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((t) => {
            const entry: Recorded = {
                type: t.type, name: t.name, inputs: {}, custom: t.resource instanceof pulumi.CustomResource,
                ignoreChanges: t.opts.ignoreChanges, protect: t.opts.protect, retainOnDelete: t.opts.retainOnDelete,
                parent: t.opts.parent && t.opts.parent !== undefined ? nameOf(t.opts.parent) : undefined,
            };
            recorded.push(entry);
            return undefined;
        });
        return (init() ?? {}) as Record<string, any>;
    });
    let outputs: Record<string, any> | undefined;
    try {
        outputs = await run;
    } catch (err) {
        // Keep what was registered before the failure, for tests that check nothing was created.
        throw Object.assign(err as Error, { recorded });
    }
    const resolved = await settle(outputs ?? {});
    return new Recording(recorded, resolved);
}

function nameOf(resource: pulumi.Resource): string | undefined {
    // __name is the SDK's own record of a resource's logical name.
    return (resource as unknown as { __name?: string }).__name;
}

/** Stack outputs arrive as plain values; give registrations still in flight time to land too. */
async function settle(outputs: Record<string, any>): Promise<Record<string, any>> {
    for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setImmediate(resolve));
    }
    return outputs;
}

/**
 * Runs the real program (index.ts) for a stack, exactly as `pulumi up -s <stack>` would evaluate it; `root`:
 * where its Pulumi.yaml and stack files are (a test's own project directory; the program is this one's).
 */
export async function runStack(stack: string, overrides: Overrides = {}, root = ROOT): Promise<Recording> {
    const programPath = require.resolve(path.join(ROOT, "index.ts"));
    return record(() => {
        delete require.cache[programPath];
        return require(programPath);
    }, stack, layeredConfig(stack, overrides, root), root);
}

/**
 * runStack, memoized by the stack and its fully layered config: test files share evaluations of identical
 * configurations (`{}` and `{"dr:strategy": "pilot-light"}` are one). Recordings are read, never changed.
 */
const evaluated = new Map<string, Promise<Recording>>();
export function stackRun(stack: string, overrides: Overrides = {}): Promise<Recording> {
    const config = layeredConfig(stack, overrides);
    const key = `${stack} ${JSON.stringify(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)))}`;
    if (!evaluated.has(key)) {
        evaluated.set(key, runStack(stack, overrides));
    }
    return evaluated.get(key)!;
}
