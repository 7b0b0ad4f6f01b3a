// The stack's AWS providers: one per region the stack calls, each built once, here.
import { Provider } from "@pulumi/aws/provider";
import type { Region } from "@pulumi/aws/types/enums";
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

export function stackProviders(cfg: DrConfig, plan: Pick<StackPlan, "readsPrimary">): StackProviders {
    // The local stacks (Pulumi.local*.yaml) send every call to an emulator on this machine.
    const emulator = () => (cfg.awsEndpoint ? emulatorProviderArgs(cfg.awsEndpoint) : {});
    return {
        region: new Provider(`aws-${cfg.region}`, { region: cfg.region as Region, defaultTags: { tags: stackTags(cfg) }, ...emulator() }),
        primaryRead: plan.readsPrimary ? new Provider(`aws-${regionSet(cfg).primary}-read`, { region: regionSet(cfg).primary as Region, ...emulator() }) : undefined,
    };
}
