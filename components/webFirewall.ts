import * as wafv2 from "@pulumi/aws/wafv2";
import * as pulumi from "@pulumi/pulumi";
import { visibility, webAclRules } from "../model/waf";

export interface WebFirewallArgs {
    /** The web ACL's name (`regionNames().webAcl`); its metrics are named after it. */
    readonly name: string;
    /** The path Route 53's checks and the canaries GET (HEALTH_CHECK_PATH): allowed before any other rule. */
    readonly healthPath: string;
    /** Requests one address may send in 5 minutes (`dr:wafRateLimit`). */
    readonly rateLimit: number;
    /** The region's ALB, where there is one; the web ACL stands without it (backup & restore's standby). */
    readonly albArn?: pulumi.Input<string>;
}

/**
 * The region's WAF web ACL (model/waf.ts: its rules and why the health checks come first), associated with the
 * region's ALB. Regional: created and changed through this region's WAF endpoint only. It stands in both regions
 * from the first deploy, so a failover deploy at most associates it with the ALB it creates.
 */
export class WebFirewall extends pulumi.ComponentResource {
    public readonly webAclArn: pulumi.Output<string>;

    constructor(name: string, args: WebFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:WebFirewall", name, {}, opts);
        const acl = new wafv2.WebAcl(`${name}-acl`, {
            name: args.name,
            description: "AWS's managed rules and a rate limit per address; the health checks pass first",
            scope: "REGIONAL",
            // What no rule blocks is allowed: the managed groups name what to block.
            defaultAction: { allow: {} },
            rules: webAclRules(args.name, args.healthPath, args.rateLimit),
            visibilityConfig: visibility(args.name),
        }, { parent: this });
        if (args.albArn !== undefined) {
            new wafv2.WebAclAssociation(`${name}-alb`, { resourceArn: args.albArn, webAclArn: acl.arn }, { parent: this });
        }
        this.webAclArn = acl.arn;
        this.registerOutputs({ webAclArn: this.webAclArn });
    }
}
