// Runs the pack's policies without the Pulumi engine, over resources recorded under Pulumi's mocks (the
// program's offline/evaluate.ts), building the arguments the way @pulumi/policy's analyzer server does
// (server.js: makeAnalyzeRpcFun / makeAnalyzeStackRpcFun): props wrapped in the SDK's unknown-checking proxy,
// resource options, the provider resource, and for stack policies every resource with its parent resolved.
// Like the engine, an UnknownValueError becomes an advisory "can't run ... during preview" diagnostic.
import {
    EnforcementLevel,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    UnknownValueError,
    unknownCheckingProxy,
} from "@pulumi/policy";

/** What the harness records per resource (structurally offline/evaluate.ts's `Recorded`). */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    /** Provider reference, `<provider urn>::<provider id>`. */
    readonly provider?: string;
    /** False for component resources (and the stack), which the engine does not validate as resources. */
    readonly custom?: boolean;
    readonly protect?: boolean;
    readonly ignoreChanges?: string[];
    /** The parent's logical name. */
    readonly parent?: string;
}

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly message: string;
    /** The resource the violation is about: the validated resource, or the urn a stack policy passed. */
    readonly urn?: string;
}

export interface EvaluateOptions {
    readonly stack?: string;
    readonly project?: string;
    /** Policy config by policy name (what `--policy-pack-config` would give; enforcementLevel overrides). */
    readonly config?: Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>;
    /**
     * Property dependencies by resource name: `{ "<name>": { "<input>": ["<dependency name>"] } }`. The mock
     * monitor does not record them; the engine sends them with every resource.
     */
    readonly propertyDependencies?: Record<string, Record<string, string[]>>;
}

/** A secret as the mock monitor records it: the SDK's signature key plus the value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Plain copy of recorded inputs, secrets unwrapped (the analyzer deserializes with keepSecrets=false). */
function plain(value: unknown): any {
    if (Array.isArray(value)) {
        return value.map(plain);
    }
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SECRET_SIG] === SECRET_VALUE_SIG) {
            return plain(obj.value);
        }
        return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
    }
    return value;
}

function urnOf(stack: string, project: string, r: { type: string; name: string }): string {
    return `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`;
}

class NotApplicable extends Error {}

function policyLevel(p: { name: string; enforcementLevel?: EnforcementLevel }, options: EvaluateOptions): EnforcementLevel {
    const level = options.config?.[p.name]?.enforcementLevel ?? p.enforcementLevel ?? "advisory";
    // The engine reports a remediating policy's remaining violations as mandatory.
    return level === "remediate" ? "mandatory" : level;
}

function configOf(p: { name: string }, options: EvaluateOptions): <T extends object>() => T {
    return <T extends object>() => {
        const { enforcementLevel: _ignored, ...rest } = options.config?.[p.name] ?? {};
        return rest as T;
    };
}

function notApplicable(reason?: string): never {
    throw new NotApplicable(reason);
}

/** What every policy's run shares: the resources by name and urn, their providers, and the violations so far. */
interface Harness {
    readonly options: EvaluateOptions;
    readonly recorded: readonly RecordedResource[];
    readonly byName: ReadonlyMap<string, RecordedResource>;
    readonly urnByName: ReadonlyMap<string, string>;
    readonly providers: ReadonlyMap<string, PolicyProviderResource>;
    readonly violations: Violation[];
}

type PolicyHeader = { name: string; enforcementLevel?: EnforcementLevel };
type Report = (message: string, urn?: string) => void;

function harnessOf(recorded: readonly RecordedResource[], options: EvaluateOptions): Harness {
    const stack = options.stack ?? "test";
    const project = options.project ?? "project";
    const urnByName = new Map(recorded.map((r) => [r.name, urnOf(stack, project, r)]));
    const providers = new Map<string, PolicyProviderResource>();
    for (const r of recorded.filter((x) => x.type.startsWith("pulumi:providers:"))) {
        const urn = urnByName.get(r.name)!;
        providers.set(r.name, { type: r.type, props: unknownCheckingProxy(plain(r.inputs)), urn, name: r.name });
    }
    return { options, recorded, byName: new Map(recorded.map((r) => [r.name, r])), urnByName, providers, violations: [] };
}

function providerOf(h: Harness, r: RecordedResource): PolicyProviderResource | undefined {
    if (!r.provider) {
        return undefined;
    }
    // `urn:pulumi:<stack>::<project>::<parent types$>pulumi:providers:aws::<name>::<id>`
    const parts = r.provider.split("::");
    return h.providers.get(parts[parts.length - 2]);
}

function optsOf(h: Harness, r: RecordedResource): PolicyResourceOptions {
    return {
        protect: r.protect ?? false,
        ignoreChanges: r.ignoreChanges ?? [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent !== undefined && h.urnByName.has(r.parent) ? { parent: h.urnByName.get(r.parent) } : {}),
    };
}

/** What a resource and a stack policy's resource both carry: type, props, urn, options, provider, type tests. */
function resourceBase(h: Harness, r: RecordedResource) {
    const props = unknownCheckingProxy(plain(r.inputs));
    const provider = providerOf(h, r);
    return {
        type: r.type,
        props,
        urn: h.urnByName.get(r.name)!,
        name: r.name,
        opts: optsOf(h, r),
        ...(provider ? { provider } : {}),
        isType: (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType === r.type,
        asType: (cls: unknown) => ((cls as { __pulumiType?: string }).__pulumiType === r.type ? props : undefined) as any,
    };
}

/**
 * Runs one validation as the engine does: its violations at the policy's level; an UnknownValueError as the
 * advisory "can't run ... during preview"; a policy that declares itself not applicable reports nothing.
 */
async function runPolicy(h: Harness, p: PolicyHeader, urn: string | undefined, body: (report: Report) => Promise<void> | void): Promise<void> {
    const enforcementLevel = policyLevel(p, h.options);
    try {
        await body((message, reported) => h.violations.push({ policy: p.name, enforcementLevel, message, urn: urn ?? reported }));
    } catch (err) {
        if (err instanceof UnknownValueError) {
            h.violations.push({ policy: p.name, enforcementLevel: "advisory", message: `can't run policy '${p.name}' during preview: ${(err as Error).message}`, urn });
        } else if (!(err instanceof NotApplicable)) {
            throw err;
        }
    }
}

/** A resource policy over each custom resource, as the engine analyzes each registration. */
async function validateResources(h: Harness, p: PolicyHeader, validateResource: NonNullable<ResourceValidationPolicy["validateResource"]>): Promise<void> {
    const validations = Array.isArray(validateResource) ? validateResource : [validateResource];
    // The stack, providers and components carry no cloud inputs worth validating.
    for (const r of h.recorded.filter((x) => x.custom !== false && !x.type.startsWith("pulumi:"))) {
        const args: ResourceValidationArgs = {
            ...resourceBase(h, r),
            stackTags: new Map(),
            getConfig: configOf(p, h.options),
            notApplicable,
        };
        for (const validate of validations) {
            await runPolicy(h, p, args.urn, (report) => validate(args, report));
        }
    }
}

/**
 * Every resource as a stack policy sees it, parents and dependencies resolved to resources of the list. Built
 * for each stack policy, so that none sees what another did to its list.
 */
function stackResources(h: Harness): PolicyResource[] {
    const resources = h.recorded.map((r): PolicyResource => ({ ...resourceBase(h, r), dependencies: [], propertyDependencies: {} }));
    const resourceByName = new Map(resources.map((r) => [r.name, r]));
    for (const r of resources) {
        const parentName = h.byName.get(r.name)?.parent;
        const parent = parentName !== undefined ? resourceByName.get(parentName) : undefined;
        if (parent) {
            r.parent = parent;
        }
        for (const [key, names] of Object.entries(h.options.propertyDependencies?.[r.name] ?? {})) {
            r.propertyDependencies[key] = names.map((n) => resourceByName.get(n)).filter((d): d is PolicyResource => d !== undefined);
            r.dependencies.push(...r.propertyDependencies[key]);
        }
    }
    return resources;
}

/**
 * Evaluates policies over recorded resources: every resource policy on each custom resource (as the engine
 * analyzes each registration), then every stack policy over the whole list. Returns all violations.
 */
export async function evaluate(
    policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[],
    recorded: readonly RecordedResource[],
    options: EvaluateOptions = {},
): Promise<Violation[]> {
    const h = harnessOf(recorded, options);
    for (const p of policies) {
        if (policyLevel(p, options) === "disabled") {
            continue;
        }
        if ("validateResource" in p && p.validateResource) {
            await validateResources(h, p, p.validateResource);
        }
        if ("validateStack" in p && p.validateStack) {
            const args: StackValidationArgs = { resources: stackResources(h), stackTags: new Map(), getConfig: configOf(p, options), notApplicable };
            const validateStack = p.validateStack;
            await runPolicy(h, p, undefined, (report) => validateStack(args, report));
        }
    }
    return h.violations;
}
