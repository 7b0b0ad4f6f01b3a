// A portfolio stack (dr:role portfolio): in the apps' recovery region, the parent Region switch plan over its
// apps' plans, each plan's ARN read from the app's dr stack (a stack reference: Pulumi's state, not AWS) in
// normal times and kept through a failover, when the app stacks report the same plans. It builds no app.
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as pulumi from "@pulumi/pulumi";
import { PortfolioPlan } from "../components/portfolioPlan";
import { alarmArn, regionSwitchNames } from "../model/naming";
import { LoadedPortfolio, detectorApp, parentPlanName, recoveryApproach, triggerAlarms } from "../model/portfolio";
import { regionSet } from "../model/regionSet";
import { regionProvider } from "./providers";

export interface PortfolioOutputs {
    readonly parentPlanArn?: pulumi.Output<string>;
    readonly approvalRoleArn?: pulumi.Output<string>;
}

/** The stack output an app's dr stack reports its Region switch plan's ARN by (index.ts). */
export const PLAN_ARN_OUTPUT = "regionSwitchPlanArn";

/** A stack of this project by its short name, as a stack reference names it: <organization>/<project>/<stack>. */
export function stackReferenceName(stack: string): string {
    return `${pulumi.getOrganization()}/${pulumi.getProject()}/${stack}`;
}

export class PortfolioComponent extends pulumi.ComponentResource {
    public readonly outputs: PortfolioOutputs;

    constructor(name: string, portfolio: LoadedPortfolio, rtoTargetSeconds: number, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:portfolio:Portfolio", name, {}, opts);
        const { config, apps } = portfolio;
        if (!config.regionSwitch) {
            // The runbook's engine runs the portfolio from its stack file alone: nothing to create.
            this.outputs = {};
            this.registerOutputs({});
            return;
        }
        const provider = regionProvider(`aws-${config.region}`, config.region,
            { tags: { "dr:app": config.appName, "dr:role": "portfolio" }, awsEndpoint: config.awsEndpoint }, { parent: this });
        const children = apps.map(({ member }) => ({
            member,
            planArn: new pulumi.StackReference(`${name}-${member.stack}`, { name: stackReferenceName(member.stack) }, { parent: this })
                .requireOutput(PLAN_ARN_OUTPUT) as pulumi.Output<string>,
        }));
        const first = apps[0].cfg;
        // dr:autoFailover auto: the trigger watches the detector app's alarms, in this region, by name (the app's
        // dr stack creates them; their ARNs follow from the names).
        const detector = config.autoFailover === "auto" ? detectorApp(apps) : undefined;
        const accountId = detector && getCallerIdentityOutput({}, { parent: this, provider }).accountId;
        const alarm = (name: string) => ({ name, arn: accountId!.apply((account) => alarmArn(config.region, account, name)) });
        const autoTrigger = detector && (() => {
            const names = triggerAlarms(detector.cfg);
            return { detector: alarm(names.detector), fence: alarm(names.fence) };
        })();
        const plan = new PortfolioPlan(`${name}-region-switch`, {
            planName: parentPlanName(first, config.appName, config.region),
            roleNames: regionSwitchNames(config.appName, config.region).roles,
            primaryRegion: regionSet(first).primary, drRegion: config.region, recoveryApproach: recoveryApproach(first),
            approverArns: config.approverArns, children, rtoTargetSeconds, autoTrigger, frozen: config.failover,
        }, { parent: this, providers: { aws: provider } });
        this.outputs = { parentPlanArn: plan.planArn, approvalRoleArn: plan.approvalRoleArn };
        this.registerOutputs({ ...this.outputs });
    }
}
