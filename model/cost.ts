// A region's monthly cost, estimated from its plan (model/regionPlan.ts). Pure: no Pulumi, no AWS calls.
//
// This is an ESTIMATE FOR COMPARING TIERS, not a bill and not a quote. Prices are AWS on-demand list prices
// for us-east-1 in USD, as read from the AWS pricing pages in 2025 (rounded, and assumed, not fetched:
// check them before quoting anyone; other regions, us-west-2 among them, may differ by a few percent),
// at 730 hours a month. Both regions are priced with the same table, so the DR share (DR cost as % of
// prod) compares like with like.
//
// Data sizes are an assumption, not a measurement: every data store holds DATA_GB (100 GB), and the
// backups of a store are priced as one full copy of it (AWS Backup snapshots are incremental; one copy is
// the usual order of magnitude). A stored copy costs storage where it is stored: the replica bucket, the
// DynamoDB replica and the backup copies are billed to the DR region, the originals to prod.
//
// Not counted (small, or driven by traffic we cannot know offline): data transfer and cross-region
// replication traffic, NAT data processing, ALB LCUs beyond the one assumed, Aurora I/O and replicated
// write I/O, DynamoDB and S3 requests, Route 53 queries and the health checks' optional features
// (fast interval, latency measurement), the replication alarms, SNS, KMS requests, the VPC itself, and what
// is free: the ACM certificate, the SSM parameter of the cache's token, the cluster parameter group, CloudWatch
// Database Insights' standard mode with Performance Insights' 7 days (docs/reference.md, "Aurora"); the
// restore tests (their jobs and the hours a restored copy exists) and the custom actions' Lambda runs. Counted:
// the traffic fence (model/fence.ts), two more health checks on prod's record and one alarm in the dr region;
// the edge's running costs at assumed volumes: detailed monitoring per instance, the access logs stored, the
// Aurora log exported to CloudWatch Logs and the Aurora instances' enhanced monitoring, the VPC's flow logs
// delivered to S3 and stored; the web ACL, its rules and (where the region serves) its requests.
import { CANARY_RATE, rateExpression } from "./canary";
import { DETECTOR_RATE_MINUTES, ROOT_VOLUME_GIB, hibernationVolumeGib } from "./levers";
import { AVAILABILITY_ZONES, DB_INSTANCE_CLASS, RegionPlan } from "./regionPlan";
import { Strategy } from "./strategy";
import { byTier } from "./tiers";
import { webAclRules } from "./waf";

export const HOURS_PER_MONTH = 730;

/** EC2 on-demand, Linux, USD per hour (us-east-1). An instance type not listed is reported, not guessed. */
export const EC2_HOURLY_USD: Readonly<Record<string, number>> = {
    "t3.micro": 0.0104,
    "t3.small": 0.0208,
    "t3.medium": 0.0416,
    "t3.large": 0.0832,
    "m6i.large": 0.096,
    "m7g.large": 0.0816,
    "c6i.large": 0.085,
};
/** EBS gp3 storage, USD per GB-month. */
export const EBS_GP3_GB_MONTH_USD = 0.08;
/** Aurora Serverless v2 (Aurora Standard), USD per ACU-hour. */
export const AURORA_SERVERLESS_ACU_HOURLY_USD = 0.12;
/**
 * What a serverless secondary averages standing by, ACU: ASSUMED. It may scale to its 0.5 ACU minimum, but it
 * applies the primary's write stream all the time; measure ServerlessDatabaseCapacity and adjust.
 */
export const SERVERLESS_STANDBY_AVERAGE_ACU = 1;

/** Application Load Balancer: the hourly charge, plus one LCU-hour assumed (a lightly used ALB). */
export const ALB_HOURLY_USD = 0.0225;
export const ALB_LCU_HOURLY_USD = 0.008;
/** NAT gateway, per gateway-hour (data processing not counted). */
export const NAT_GATEWAY_HOURLY_USD = 0.045;
/** NAT gateways per awsx strategy in our VPC (components/network.ts). */
export const NAT_GATEWAYS: Readonly<Record<RegionPlan["natGateways"], number>> = { OnePerAz: AVAILABILITY_ZONES, Single: 1, None: 0 };
/** Aurora PostgreSQL (standard) per instance-hour. */
export const AURORA_HOURLY_USD: Readonly<Record<string, number>> = { "db.r6g.large": 0.26 };
/** ElastiCache (Valkey/Redis OSS node pricing) per node-hour. */
export const CACHE_NODE_HOURLY_USD: Readonly<Record<string, number>> = {
    "cache.r7g.large": 0.219,
    "cache.t4g.medium": 0.065,
};
/** Route 53 health check on an AWS endpoint, per month (basic; optional features not counted). */
export const HEALTH_CHECK_MONTHLY_USD = 0.5;
/** A CloudWatch standard-resolution metric alarm, per month (the traffic fence's). */
export const ALARM_MONTHLY_USD = 0.1;
/** A KMS customer managed key, per month (every region has one: components/dataKey.ts). */
export const KMS_KEY_MONTHLY_USD = 1;

/** EC2 detailed monitoring: 7 metrics per instance at the first tier's $0.30 per metric-month. */
export const DETAILED_MONITORING_MONTHLY_USD = 7 * 0.3;
/** Access logs (ALB and S3) stored in a region's log bucket: an assumption, as the volume follows traffic. */
export const ACCESS_LOG_GB = 10;
/** Aurora's PostgreSQL log exported per cluster per month (assumed), at CloudWatch Logs' ingestion price. */
export const AURORA_LOG_GB_PER_MONTH = 1;
export const CLOUDWATCH_LOGS_INGESTED_GB_USD = 0.5;
/**
 * Enhanced monitoring's OS metrics per Aurora instance per month, GB: ASSUMED. RDS writes them to CloudWatch Logs
 * (the RDSOSMetrics log group), billed as log ingestion; AWS publishes no volume, which follows the interval
 * (DB_MONITORING_INTERVAL_SECONDS, 60 s) and the number of processes. About 12 KB a sample (the process list
 * included) x 43,800 samples a month; measure the log group's IncomingBytes and adjust.
 */
export const AURORA_ENHANCED_MONITORING_GB_PER_INSTANCE_MONTH = 0.5;
/**
 * The VPC's flow logs a month (assumed: the volume follows traffic): a serving region's, and a standing-by
 * region's, which carries replication, health checks and little else. Delivered to S3 as vended logs, then stored.
 */
export const FLOW_LOG_GB_PER_MONTH = { serving: 5, standingBy: 0.5 } as const;
/** AWS WAF: a web ACL a month, a rule (a managed rule group counts as one) a month, a million requests inspected. */
export const WAF_WEB_ACL_MONTHLY_USD = 5;
export const WAF_RULE_MONTHLY_USD = 1;
export const WAF_MILLION_REQUESTS_USD = 0.6;
/**
 * Requests the web ACL inspects a month, millions (assumed: the volume follows traffic): where the region serves;
 * standing by, only the health checks and the canaries reach it, a few hundred thousand, not counted.
 */
export const WAF_MILLION_REQUESTS_PER_MONTH = 10;
/** CloudWatch vended logs delivered to S3, per GB (the first tier). */
export const VENDED_LOGS_TO_S3_GB_USD = 0.25;

/**
 * An ARC Region switch plan, per month. ASSUMED, not confirmed: the ARC pricing page could not be read from
 * here; $70 a plan-month is the figure as remembered at its launch. Check it before quoting it.
 */
export const REGION_SWITCH_PLAN_MONTHLY_USD = 70;

/**
 * Price of one canary run, USD: $0.0012 in the US regions. An ASSUMPTION: read from third-party pages that
 * quote AWS's price (thomasstep.com, 2020; blog.mattsbit.co.uk, 2023), not from AWS's pricing page, which
 * was not available to check. The runs' Lambda, CloudWatch Logs and S3 artifacts are billed apart and not
 * counted here (small at one run per 5 minutes); so is the alarm ($0.10, ALARM_MONTHLY_USD above).
 */
export const CANARY_RUN_USD = 0.0012;

/**
 * Runs a month from a Synthetics rate expression, rate(N minute[s]|hour[s]) from 1 minute to 1 hour; 0 for
 * rate(0 ...), which runs once when started (CreateCanary, Schedule.Expression).
 */
export function runsPerMonth(rate: string): number {
    const m = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(rate.trim());
    if (!m) {
        throw new Error(`"${rate}" is not a Synthetics rate expression such as rate(5 minutes)`);
    }
    const n = Number(m[1]);
    if (n === 0) {
        return 0;
    }
    const minutes = m[2].startsWith("hour") ? n * 60 : n;
    if (minutes > 60) {
        throw new Error(`"${rate}" is less often than Synthetics allows: rate(1 minute) to rate(1 hour) (CreateCanary, Schedule)`);
    }
    return (HOURS_PER_MONTH * 60) / minutes;
}

/** The canary's monthly price, USD, from its schedule: runs a month x CANARY_RUN_USD (an assumption). */
export function canaryMonthlyCostUsd(rate: string = CANARY_RATE): number {
    return runsPerMonth(rate) * CANARY_RUN_USD;
}

/** The assumed size of each data store: the Aurora cluster, the bucket, the DynamoDB table. */
export const DATA_GB = 100;
/** Storage, USD per GB-month. */
export const S3_GB_MONTH_USD = 0.023;
export const AURORA_GB_MONTH_USD = 0.1;
export const DYNAMODB_GB_MONTH_USD = 0.25;
/** AWS Backup storage, one blended rate for snapshots and copies of every store. */
export const BACKUP_GB_MONTH_USD = 0.05;

/**
 * The DR region's cost as a share of prod's, by tier: the industry rule of thumb in
 * docs/reference.md ("Tiers (rule of thumb)"), kept in each TierSpec. A small N makes the
 * fixed parts (Aurora, NAT, ALB) weigh more than the rule assumes, so our estimate may fall outside.
 */
export const TYPICAL_DR_COST_PERCENT: Readonly<Record<Strategy, readonly [number, number]>> = byTier((t) => t.typical.costPercent);

export interface CostLine {
    readonly item: string;
    /** USD per month; 0 for an item the table has no price for (the item says so). */
    readonly monthly: number;
}

export interface MonthlyCost {
    /** USD per month, the sum of the lines. */
    readonly total: number;
    /** One line per priced item, in the order of the region's tiers (compute, network, data, backups). */
    readonly lines: CostLine[];
}

const hourly = (usdPerHour: number) => usdPerHour * HOURS_PER_MONTH;

function priceOf(table: Readonly<Record<string, number>>, key: string, what: string): number {
    const price = table[key];
    if (price === undefined) {
        throw new Error(`model/cost.ts has no ${what} price for ${key}: add it to the table`);
    }
    return price;
}

/** The data stores a region holds (and backs up), with their assumed sizes. */
function stores(plan: RegionPlan): string[] {
    return [
        ...(plan.database ? ["aurora"] : []),
        ...(plan.objects ? ["s3"] : []),
        ...(plan.globalTable ? ["dynamodb"] : []),
    ];
}

type Lines = CostLine[];
const line = (item: string, monthly: number): CostLine => ({ item, monthly });

/** The app tier: its instances and their monitoring, a warm pool, the ALB, the record's checks. */
function appLines(app: NonNullable<RegionPlan["app"]>, instanceType: string, fences: number): Lines {
    const lines: Lines = [];
    const n = app.capacity.desired;
    if (n > 0) {
        const price = EC2_HOURLY_USD[instanceType];
        lines.push(price === undefined
            ? line(`EC2 ${n} x ${instanceType} (no list price in model/cost.ts: not counted)`, 0)
            : line(`EC2 ${n} x ${instanceType}`, n * hourly(price)));
        lines.push(line(`EC2 detailed monitoring x ${n}`, n * DETAILED_MONITORING_MONTHLY_USD));
    }
    const pool = app.warmPool;
    if (pool) {
        // A pooled instance pays for its volumes; a running one for its hours too. A hibernated one's root
        // volume also holds its memory (EC2 User Guide, hibernation prerequisites).
        const volume = pool.state === "hibernated" ? hibernationVolumeGib(instanceType) ?? ROOT_VOLUME_GIB : ROOT_VOLUME_GIB;
        lines.push(line(`EC2 warm pool (${pool.state}): ${pool.minSize} x ${volume} GiB gp3 (${ROOT_VOLUME_GIB} GiB root assumed)`,
            pool.minSize * volume * EBS_GP3_GB_MONTH_USD));
        if (pool.state === "running") {
            lines.push(line(`EC2 warm pool (running): ${pool.minSize} x ${instanceType}`, pool.minSize * hourly(priceOf(EC2_HOURLY_USD, instanceType, "EC2"))));
        }
    }
    lines.push(line("ALB (1 LCU assumed)", hourly(ALB_HOURLY_USD + ALB_LCU_HOURLY_USD)));
    lines.push(line("Route 53 health check", HEALTH_CHECK_MONTHLY_USD));
    if (fences === 1) {
        // Priced as basic checks on an AWS endpoint (assumed: the same list price for metric and calculated checks).
        lines.push(line("Route 53 fence checks x 2 (the fence's alarm, and both together)", 2 * HEALTH_CHECK_MONTHLY_USD));
    } else if (fences > 1) {
        lines.push(line(`Route 53 fence checks x ${fences + 1} (each fence's alarm, and all together)`, (fences + 1) * HEALTH_CHECK_MONTHLY_USD));
    }
    return lines;
}

/** The Aurora cluster: its instances (provisioned or serverless), storage, exported log and enhanced monitoring. */
function databaseLines(database: NonNullable<RegionPlan["database"]>): Lines {
    const n = database.instances;
    const serverless = database.serverless;
    // Standing by a serverless cluster averages an assumed figure; promoted it holds its minimum, the serving capacity.
    const acu = serverless === undefined ? undefined : database.writer ? serverless.minCapacity : SERVERLESS_STANDBY_AVERAGE_ACU;
    return [
        acu !== undefined
            ? line(`Aurora Serverless v2 ${n} x ${acu} ACU${database.writer ? " (its minimum)" : " (average assumed, see model/cost.ts)"}`,
                n * acu * hourly(AURORA_SERVERLESS_ACU_HOURLY_USD))
            : line(`Aurora ${n} x ${DB_INSTANCE_CLASS}`, n * hourly(priceOf(AURORA_HOURLY_USD, DB_INSTANCE_CLASS, "Aurora"))),
        line(`Aurora storage ${DATA_GB} GB`, DATA_GB * AURORA_GB_MONTH_USD),
        line(`CloudWatch Logs: the Aurora log, ${AURORA_LOG_GB_PER_MONTH} GB/month assumed`, AURORA_LOG_GB_PER_MONTH * CLOUDWATCH_LOGS_INGESTED_GB_USD),
        // Database Insights' standard mode and Performance Insights' 7 days have no charge: no line.
        line(`CloudWatch Logs: Aurora enhanced monitoring, ${n} instance${n === 1 ? "" : "s"} x ${AURORA_ENHANCED_MONITORING_GB_PER_INSTANCE_MONTH} GB/month assumed`,
            n * AURORA_ENHANCED_MONITORING_GB_PER_INSTANCE_MONTH * CLOUDWATCH_LOGS_INGESTED_GB_USD),
    ];
}

/**
 * What other regions keep in a region: the recovery points their backup plans copy here (`copiesFrom`, each
 * sender's plan and how the line names it) and the replicas of their DynamoDB global tables (`replicas`).
 */
export interface Kept {
    readonly copiesFrom: readonly { readonly from: string; readonly plan: RegionPlan }[];
    readonly replicas: number;
}

const NOTHING_KEPT: Kept = { copiesFrom: [], replicas: 0 };

/** A pair's peer keeps here whatever it copies or replicates at all: a pair has two regions, so "elsewhere" is here. */
function keptByPeer(peer: RegionPlan | undefined): Kept {
    return peer === undefined ? NOTHING_KEPT : {
        copiesFrom: peer.backups !== undefined && peer.backups.copyTo.length > 0 ? [{ from: "the other region", plan: peer }] : [],
        replicas: peer.globalTable && peer.globalTable.replicaRegions.length > 0 ? 1 : 0,
    };
}

/**
 * What the other regions of a set keep in `region`: a writer's recovery points where `region` is one of its
 * `backups.copyTo`, a global table's replica where it is one of its `replicaRegions`. Of a pair, the same as its peer.
 */
export function keptIn(region: string, others: ReadonlyMap<string, RegionPlan>): Kept {
    const senders = [...others].filter(([r]) => r !== region);
    return {
        copiesFrom: senders.filter(([, p]) => p.backups?.copyTo.includes(region)).map(([from, plan]) => ({ from, plan })),
        replicas: senders.filter(([, p]) => p.globalTable?.replicaRegions.includes(region)).length,
    };
}

/** The cache, the bucket, the table, and the replicas of other regions' tables kept here. */
function storeLines(plan: RegionPlan, kept: Kept): Lines {
    const lines: Lines = [];
    if (plan.cache) {
        const { nodes, nodeType } = plan.cache;
        const member = plan.cache.global ? ` (Global Datastore ${plan.cache.global.role}; cross-region transfer not counted)` : "";
        lines.push(line(`ElastiCache ${nodes} x ${nodeType}${member}`, nodes * hourly(priceOf(CACHE_NODE_HOURLY_USD, nodeType, "ElastiCache"))));
    }
    if (plan.objects) {
        lines.push(line(`S3 storage ${DATA_GB} GB`, DATA_GB * S3_GB_MONTH_USD));
    }
    if (plan.globalTable) {
        lines.push(line(`DynamoDB storage ${DATA_GB} GB`, DATA_GB * DYNAMODB_GB_MONTH_USD));
    }
    for (let i = 0; i < kept.replicas; i++) {
        lines.push(line(`DynamoDB replica storage ${DATA_GB} GB`, DATA_GB * DYNAMODB_GB_MONTH_USD));
    }
    return lines;
}

/** What proves and runs the recovery: the canary, the detector, the Region switch plan. */
function operationsLines(operations: RegionPlan["operations"]): Lines {
    const lines: Lines = [];
    if (operations?.canary) {
        const rate = operations.canaryRateMinutes;
        lines.push(line(`Synthetics canary every ${rate} min (price per run assumed, see model/cost.ts)`, canaryMonthlyCostUsd(rateExpression(rate))));
    }
    if (operations?.detector) {
        lines.push(line(`the detector: a canary on the primary every ${DETECTOR_RATE_MINUTES} min and its alarm (price per run assumed)`,
            canaryMonthlyCostUsd(rateExpression(DETECTOR_RATE_MINUTES)) + ALARM_MONTHLY_USD));
    }
    if (operations?.regionSwitch) {
        lines.push(line("ARC Region switch plan (price assumed, see model/cost.ts)", REGION_SWITCH_PLAN_MONTHLY_USD));
    }
    return lines;
}

/** The edge's protection and its logs: access logs stored, the web ACL, the flow logs. */
function protectionLines(plan: RegionPlan): Lines {
    const lines: Lines = [line(`S3 access logs ${ACCESS_LOG_GB} GB assumed (the log bucket)`, ACCESS_LOG_GB * S3_GB_MONTH_USD)];
    if (plan.waf) {
        const rules = webAclRules("", "/", plan.waf.rateLimit).length;
        const requests = plan.serving ? WAF_MILLION_REQUESTS_PER_MONTH : 0;
        lines.push(line(`WAF web ACL, ${rules} rules${requests > 0 ? `, ${requests} M requests/month assumed` : " (standing by: its requests not counted)"}`,
            WAF_WEB_ACL_MONTHLY_USD + rules * WAF_RULE_MONTHLY_USD + requests * WAF_MILLION_REQUESTS_USD));
    }
    const flowLogGb = plan.serving ? FLOW_LOG_GB_PER_MONTH.serving : FLOW_LOG_GB_PER_MONTH.standingBy;
    lines.push(line(`VPC flow logs to S3, ${flowLogGb} GB/month assumed (delivery, and a month stored)`, flowLogGb * (VENDED_LOGS_TO_S3_GB_USD + S3_GB_MONTH_USD)));
    return lines;
}

/** The traffic fences this region holds: one CloudWatch alarm each. */
function fenceAlarmLines(fences: number): Lines {
    return fences === 0 ? [] : fences === 1 ? [line("CloudWatch alarm: the traffic fence", ALARM_MONTHLY_USD)]
        : [line(`CloudWatch alarms: the traffic fences x ${fences}`, fences * ALARM_MONTHLY_USD)];
}

/** This region's recovery points, and the copies other regions send here. */
function backupLines(plan: RegionPlan, kept: Kept): Lines {
    const lines: Lines = [];
    if (plan.backups) {
        const local = stores(plan);
        lines.push(line(`AWS Backup recovery points ${local.length * DATA_GB} GB (${local.join(", ")})`, local.length * DATA_GB * BACKUP_GB_MONTH_USD));
    }
    for (const { from, plan: sender } of kept.copiesFrom) {
        const copied = stores(sender);
        lines.push(line(`AWS Backup copies from ${from} ${copied.length * DATA_GB} GB (${copied.join(", ")})`, copied.length * DATA_GB * BACKUP_GB_MONTH_USD));
    }
    return lines;
}

/**
 * A region's monthly cost from its plan. `peer`, the other region's plan, adds what the other region
 * stores here: the backup copies it sends (`backups.copyTo`) and the DynamoDB replica of its global
 * table (`globalTable.replicaRegions`); the pair has two regions, so "the other region's" means this one.
 * Of a set of three or more, monthlyCostIn says which region receives what.
 */
export function monthlyCost(plan: RegionPlan, instanceType: string, peer?: RegionPlan): MonthlyCost {
    return costOf(plan, instanceType, keptByPeer(peer));
}

/**
 * A region of a set's monthly cost: `region`'s plan, with what the set's other regions (`plans`, by region; the
 * region's own is skipped) keep in it (keptIn): only the copies and replicas that name this region.
 */
export function monthlyCostIn(region: string, plan: RegionPlan, instanceType: string, plans: ReadonlyMap<string, RegionPlan>): MonthlyCost {
    return costOf(plan, instanceType, keptIn(region, plans));
}

function costOf(plan: RegionPlan, instanceType: string, kept: Kept): MonthlyCost {
    const nat = NAT_GATEWAYS[plan.natGateways];
    const lines: Lines = [
        ...(plan.app ? appLines(plan.app, instanceType, plan.fencedBy?.length ?? 0) : []),
        ...fenceAlarmLines(plan.holdsFencesOf?.length ?? 0),
        ...(nat > 0 ? [line(`NAT gateway x ${nat}`, nat * hourly(NAT_GATEWAY_HOURLY_USD))] : []),
        ...(plan.database ? databaseLines(plan.database) : []),
        ...storeLines(plan, kept),
        line("KMS key", KMS_KEY_MONTHLY_USD),
        ...operationsLines(plan.operations),
        ...protectionLines(plan),
        ...backupLines(plan, kept),
    ];
    return { total: lines.reduce((sum, l) => sum + l.monthly, 0), lines };
}

export interface DrCostShare {
    readonly prod: MonthlyCost;
    readonly dr: MonthlyCost;
    /** The DR region's monthly cost as a percentage of prod's. */
    readonly percent: number;
}

/**
 * Both regions' monthly cost, each with what the other stores in it, and the DR region's share. `regions`, where
 * the two are of a longer set: what each receives is what names it (monthlyCostIn), as the writer may copy its
 * backups to another recovery region only (dr:backupCopyRegions); of a pair, the same figures.
 */
export function drCostShare(prodPlan: RegionPlan, drPlan: RegionPlan, instanceType: string, regions?: { readonly prod: string; readonly dr: string }): DrCostShare {
    const apart = regions !== undefined && regions.prod !== regions.dr ? regions : undefined;
    const plans = apart && new Map([[apart.prod, prodPlan], [apart.dr, drPlan]]);
    const prod = apart && plans ? monthlyCostIn(apart.prod, prodPlan, instanceType, plans) : monthlyCost(prodPlan, instanceType, drPlan);
    const dr = apart && plans ? monthlyCostIn(apart.dr, drPlan, instanceType, plans) : monthlyCost(drPlan, instanceType, prodPlan);
    return { prod, dr, percent: prod.total > 0 ? (100 * dr.total) / prod.total : 0 };
}

/** The costliest lines first. */
export function topLines(cost: MonthlyCost, count: number): CostLine[] {
    return [...cost.lines].sort((a, b) => b.monthly - a.monthly).slice(0, count);
}
