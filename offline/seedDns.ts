// Route 53 in the deployed pair: the hosted zone (its id drawn until moto gives one AWS would), and each
// region's health checks and alias records as its stack's recording has them. Route 53 is global, so this
// runs once per region against the one zone, after the region's load balancer exists for the records to name.
import {
    ChangeResourceRecordSetsCommand, ChangeTagsForResourceCommand, CreateHealthCheckCommand, CreateHostedZoneCommand,
    DeleteHostedZoneCommand, HealthCheckConfig, ResourceRecordSet, Route53Client,
} from "@aws-sdk/client-route-53";
import { ZONE_ID_PATTERN } from "../model/config";
import { Recorded, Recording } from "./evaluate";
import { Emulated, resolve, TYPES } from "./seedRegion";

/** The zone dr:dnsName lives in: its parent domain (shop.example.com -> example.com). */
export function zoneNameOf(dnsName: string): string {
    const labels = dnsName.replace(/\.$/, "").split(".");
    return labels.length > 2 ? labels.slice(1).join(".") : labels.join(".");
}

/** The seed value of moto's random source that gave a zone id Route 53 (and dr:dnsZoneId's check) accepts. */
const goodSeeds = new Map<string, number>();

/**
 * Creates the hosted zone. moto draws a zone id from [A-Z0-9], which need not start with "Z" as AWS's do and
 * as dr:dnsZoneId requires; moto's random source is seeded (POST /moto-api/seed) until it does, and the seed
 * is remembered per emulator so every later reseed takes one try. (The ids moto draws afterwards, of health
 * checks and instances, repeat from one reseed to the next as a result; nothing relies on that.)
 */
export async function createHostedZone(endpoint: string, route53: Route53Client, zoneName: string): Promise<string> {
    const first = goodSeeds.get(endpoint) ?? 0;
    for (let seed = first; seed < first + 500; seed++) {
        const res = await fetch(`${endpoint}/moto-api/seed?a=${seed}`, { method: "POST" });
        await res.arrayBuffer();
        if (!res.ok) {
            throw new Error(`moto refused POST /moto-api/seed: HTTP ${res.status}`);
        }
        const zone = await route53.send(new CreateHostedZoneCommand({ Name: zoneName, CallerReference: `drill-zone-${seed}` }));
        const id = zone.HostedZone!.Id!.replace(/^\/hostedzone\//, "");
        if (ZONE_ID_PATTERN.test(id)) {
            goodSeeds.set(endpoint, seed);
            return id;
        }
        await route53.send(new DeleteHostedZoneCommand({ Id: id }));
    }
    throw new Error(`moto gave no hosted zone id matching ${ZONE_ID_PATTERN} in 500 tries`);
}

/** The record's routing policy, as Route 53's API spells it. */
function routingOf(record: Recorded["inputs"]): Partial<ResourceRecordSet> {
    if (record.failoverRoutingPolicies?.length) return { Failover: record.failoverRoutingPolicies[0].type };
    if (record.weightedRoutingPolicies?.length) return { Weight: record.weightedRoutingPolicies[0].weight };
    if (record.latencyRoutingPolicies?.length) return { Region: record.latencyRoutingPolicies[0].region };
    return {};
}

/** A health check's configuration as Route 53's API spells it, from the recorded inputs. */
function healthCheckConfig(hc: Recorded["inputs"], emulated: Emulated): HealthCheckConfig {
    switch (hc.type) {
        case "CALCULATED":
            return { Type: hc.type, ChildHealthChecks: hc.childHealthchecks.map((id: string) => resolve(emulated, id)), HealthThreshold: hc.childHealthThreshold };
        case "CLOUDWATCH_METRIC":
            return {
                Type: hc.type, AlarmIdentifier: { Name: hc.cloudwatchAlarmName, Region: hc.cloudwatchAlarmRegion },
                InsufficientDataHealthStatus: hc.insufficientDataHealthStatus,
            };
        default:
            return {
                Type: hc.type, FullyQualifiedDomainName: resolve(emulated, hc.fqdn), Port: hc.port, ResourcePath: hc.resourcePath,
                RequestInterval: hc.requestInterval, FailureThreshold: hc.failureThreshold, MeasureLatency: hc.measureLatency,
                EnableSNI: hc.enableSni,
            };
    }
}

/**
 * The region's health checks (tagged Name, as the runbook finds them: the endpoint's, and where the record is
 * fenced the fence's and the CALCULATED one over both) and its record, as the program registers them.
 * Returns the id of the check the record uses.
 */
export async function seedDns(route53: Route53Client, zoneId: string, rec: Recording, emulated: Emulated): Promise<string | undefined> {
    const checks = rec.ofType(TYPES.healthCheck);
    if (checks.length === 0) {
        return undefined;
    }
    // A CALCULATED check names its children: they go first.
    for (const check of [...checks].sort((a, b) => Number(a.inputs.type === "CALCULATED") - Number(b.inputs.type === "CALCULATED"))) {
        const created = await route53.send(new CreateHealthCheckCommand({
            CallerReference: `${check.inputs.tags.Name}-seed`, HealthCheckConfig: healthCheckConfig(check.inputs, emulated),
        }));
        const id = created.HealthCheck!.Id!;
        emulated.set(check.id, id);
        await route53.send(new ChangeTagsForResourceCommand({
            ResourceType: "healthcheck", ResourceId: id, AddTags: Object.entries(check.inputs.tags as Record<string, string>).map(([Key, Value]) => ({ Key, Value })),
        }));
    }
    // The app's alias records; the certificate's validation record is not seeded (nothing reads it).
    const aliases = rec.ofType(TYPES.record).filter((r) => r.inputs.aliases?.length);
    const changes = aliases.map(({ inputs: r }) => ({
        Action: "CREATE" as const,
        ResourceRecordSet: {
            Name: r.name, Type: r.type, SetIdentifier: r.setIdentifier, ...routingOf(r),
            // The failover tree's link (three or more regions) has no check of its own: Route 53 evaluates the level below.
            ...(r.healthCheckId === undefined ? {} : { HealthCheckId: resolve(emulated, r.healthCheckId) }),
            // An alias to a record set of the zone itself (the link) names it as it is, in the zone the seed created.
            AliasTarget: r.aliases[0].zoneId === r.zoneId
                ? { DNSName: r.aliases[0].name, HostedZoneId: zoneId, EvaluateTargetHealth: r.aliases[0].evaluateTargetHealth }
                : {
                    DNSName: resolve(emulated, r.aliases[0].name), HostedZoneId: resolve(emulated, r.aliases[0].zoneId),
                    EvaluateTargetHealth: r.aliases[0].evaluateTargetHealth,
                },
        },
    }));
    await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
    const own = aliases.find((r) => r.inputs.healthCheckId !== undefined);
    return own && resolve(emulated, own.inputs.healthCheckId);
}
