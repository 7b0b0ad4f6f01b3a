import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { FENCE_INSUFFICIENT_DATA_STATUS } from "../model/fence";
import { Routing } from "../model/regionPlan";
import { failoverLevelName } from "../model/regionSet";

export interface RegionDnsArgs {
    readonly zoneId: pulumi.Input<string>;
    /** The name users reach the app by. */
    readonly recordName: string;
    /**
     * failover: PRIMARY from the prod stack, SECONDARY from the dr stack (active/passive tiers);
     * latency or weighted: one record per region, both serving (active-active).
     */
    readonly routing: Routing;
    /** This region: the latency record's region. */
    readonly region: string;
    /** Unique per region within the record set. */
    readonly setIdentifier: string;
    /** Name tag of the health check, so the runbook can find it. */
    readonly healthCheckName: string;
    /** This region's endpoint: the ALB. */
    readonly albDnsName: pulumi.Input<string>;
    readonly albZoneId: pulumi.Input<string>;
    readonly healthCheckPath: string;
    readonly port: number;
    /** 10 or 30 s; fixed once created. */
    readonly intervalSeconds: 10 | 30;
    /** 1-10 consecutive failures. */
    readonly failureThreshold: number;
    /**
     * The traffic fences of this region's record (model/fence.ts): CloudWatch alarms in other regions, one per
     * region that holds one. Some: the record's health check is a CALCULATED one, healthy only while the endpoint's
     * check and a check on each alarm all are. None: the record uses the endpoint's check.
     */
    readonly fences: readonly { readonly alarmName: string; readonly alarmRegion: string }[];
    /** Name tags of the fence checks (the first fence's; a further one's adds its region) and of the CALCULATED one. */
    readonly fenceCheckName: string;
    readonly recordCheckName: string;
}

/** The routing policy block of a Route 53 record for this region. */
export function routingPolicy(routing: Routing, region: string): Partial<route53.RecordArgs> {
    switch (routing.policy) {
        case "failover":
            return { failoverRoutingPolicies: [{ type: routing.role }] };
        case "latency":
            return { latencyRoutingPolicies: [{ region }] };
        case "weighted":
            return { weightedRoutingPolicies: [{ weight: routing.weight }] };
    }
}

/**
 * A Route 53 health check on the region's endpoint and this region's record of the app's name: half of a
 * failover pair, or one of the latency/weighted records of active-active. Either way a region whose check
 * fails drops out by itself: health-checked routing is Route 53 data plane, so it keeps working while a
 * region (or Route 53's control plane in us-east-1) is down (docs/reference.md, "Route 53"). A fenced
 * record also drops out when the region holding its fence closes it, with no Route 53 API call.
 */
export class RegionDns extends pulumi.ComponentResource {
    /** The endpoint's check. */
    public readonly healthCheckId: pulumi.Output<string>;
    /** The check the record uses: the endpoint's, or where fenced, the CALCULATED one over it and the fence. */
    public readonly recordHealthCheckId: pulumi.Output<string>;
    public readonly fqdn: pulumi.Output<string>;

    constructor(name: string, args: RegionDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:RegionDns", name, {}, opts);
        // HTTPS to the ALB, with SNI (Route 53's checkers do not validate the certificate: the ALB's own
        // name would not match it).
        const healthCheck = new route53.HealthCheck(`${name}-health`, {
            type: "HTTPS",
            enableSni: true,
            fqdn: args.albDnsName,
            port: args.port,
            resourcePath: args.healthCheckPath,
            requestInterval: args.intervalSeconds,
            failureThreshold: args.failureThreshold,
            measureLatency: true,
            tags: { Name: args.healthCheckName },
        }, { parent: this });
        const recordCheck = args.fences.length > 0 ? this.fenced(name, healthCheck, args) : healthCheck;
        const routing = args.routing;
        const level = routing.policy === "failover" ? routing.level ?? 0 : 0;
        const links = routing.policy === "failover" && routing.links !== undefined;
        // An alias to the ALB has no TTL of its own: resolvers get the ELB's 60 s, within failover DNS's
        // "60 s or less" (docs/reference.md, "Route 53").
        const record = new route53.Record(`${name}-record`, {
            zoneId: args.zoneId,
            name: failoverLevelName(args.recordName, level),
            type: "A",
            setIdentifier: args.setIdentifier,
            ...routingPolicy(routing, args.region),
            healthCheckId: recordCheck.id,
            aliases: [{ name: args.albDnsName, zoneId: args.albZoneId, evaluateTargetHealth: true }],
            // A pair's dr record that moves below the app's name when a third region joins is deleted first: the app's
            // name takes one SECONDARY, and the link below takes its place there.
        }, { parent: this, ...(links ? { deleteBeforeReplace: true } : {}) });
        if (routing.policy === "failover" && routing.links !== undefined) {
            // The failover tree of three or more regions (model/regionSet.ts, failoverPlace): the level above answers,
            // as its SECONDARY, with this level's records, healthy while any of them is (Route 53 evaluates the alias
            // target's health: data plane, like the checks).
            new route53.Record(`${name}-link`, {
                zoneId: args.zoneId,
                name: failoverLevelName(args.recordName, routing.links),
                type: "A",
                setIdentifier: `${args.setIdentifier}-link`,
                failoverRoutingPolicies: [{ type: "SECONDARY" }],
                aliases: [{ name: failoverLevelName(args.recordName, level), zoneId: args.zoneId, evaluateTargetHealth: true }],
            }, { parent: this, dependsOn: [record] });
        }
        this.healthCheckId = healthCheck.id;
        this.recordHealthCheckId = recordCheck.id;
        this.fqdn = record.fqdn;
        this.registerOutputs({ healthCheckId: this.healthCheckId, recordHealthCheckId: this.recordHealthCheckId, fqdn: this.fqdn });
    }

    /** A check on each fence's alarm, and the CALCULATED check that needs them and the endpoint's all healthy. */
    private fenced(name: string, endpoint: route53.HealthCheck, args: RegionDnsArgs): route53.HealthCheck {
        const fenceChecks = args.fences.map((fence, i) => new route53.HealthCheck(i === 0 ? `${name}-fence` : `${name}-fence-${fence.alarmRegion}`, {
            type: "CLOUDWATCH_METRIC",
            cloudwatchAlarmName: fence.alarmName,
            cloudwatchAlarmRegion: fence.alarmRegion,
            // No data yet: healthy (open); a gap in the data later: the last status seen (model/fence.ts).
            insufficientDataHealthStatus: FENCE_INSUFFICIENT_DATA_STATUS,
            tags: { Name: i === 0 ? args.fenceCheckName : `${args.fenceCheckName}-${fence.alarmRegion}` },
        }, { parent: this }));
        return new route53.HealthCheck(`${name}-gate`, {
            type: "CALCULATED",
            childHealthchecks: [endpoint.id, ...fenceChecks.map((c) => c.id)],
            childHealthThreshold: 1 + fenceChecks.length,
            tags: { Name: args.recordCheckName },
        }, { parent: this });
    }
}
