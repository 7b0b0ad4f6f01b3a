// The stack's AWS providers: one per region the stack calls, each built once, here.
import { Provider } from "@pulumi/aws/provider";
import type { Region } from "@pulumi/aws/types/enums";
import type * as pulumi from "@pulumi/pulumi";
import type { DrConfig } from "../model/config";
import { emulatorProviderArgs } from "../model/tooling/emulator";
import type { StackPlan } from "../model/stackPlan";
import { stackTags } from "../model/tags";
import { regionSet } from "../model/regionSet";

export interface StackProviders {
    /**
     * Pinned to the stack's region: every resource the stack owns lives there (Route 53 and the Aurora global
     * cluster are global services reached through it).
     */
    readonly region: Provider;
    /**
     * The dr stack's reads of the primary region in normal times (the plan's readsPrimary): its Auto Scaling group's
     * ARN, its ALB's name, its cache's token. Nothing is created through it, and with dr:failover=true there is none.
     */
    readonly primaryRead?: Provider;
}

/**
 * A provider pinned to one region, with the default tags every resource it creates carries (none for a read
 * provider). The local stacks (Pulumi.local*.yaml) send every call to an emulator on this machine (`awsEndpoint`).
 */
export function regionProvider(name: string, region: string, p: { readonly tags?: Record<string, string>; readonly awsEndpoint?: string },
    opts?: pulumi.CustomResourceOptions): Provider {
    return new Provider(name, {
        region: region as Region, ...(p.tags ? { defaultTags: { tags: p.tags } } : {}), ...(p.awsEndpoint ? emulatorProviderArgs(p.awsEndpoint) : {}),
    }, opts);
}

export function stackProviders(cfg: DrConfig, plan: Pick<StackPlan, "readsPrimary">): StackProviders {
    const primary = regionSet(cfg).primary;
    return {
        region: regionProvider(`aws-${cfg.region}`, cfg.region, { tags: stackTags(cfg), awsEndpoint: cfg.awsEndpoint }),
        primaryRead: plan.readsPrimary ? regionProvider(`aws-${primary}-read`, primary, { awsEndpoint: cfg.awsEndpoint }) : undefined,
    };
}
