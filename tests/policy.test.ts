// The policy pack (policy/): its rules over the resources the real program registers for every tier and
// both stacks, then over deliberately broken copies of them, each of which the intended rule must catch.
// Policies run through policy/testing.ts, which builds the analyzer's arguments as @pulumi/policy does.
import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policy/rules";
import { evaluate, EvaluateOptions, RecordedResource, Violation } from "../policy/testing";
import { TIER_DETECTION_SECONDS } from "../policy/tierNumbers";
import { POLICY_TIER_NUMBERS, policyTierNumbersModule } from "../cli/contract";
import { STRATEGIES } from "../model/strategy";
import { TIERS } from "../model/tiers";
import { ACCOUNT_ID, Recorded, Recording, ROOT, stackRun } from "../offline/evaluate";

const ALL_TIERS = ["backup-restore", "pilot-light", "warm-standby", "active-active"] as const;
const SNAPSHOT = `arn:aws:rds:us-west-2:${ACCOUNT_ID}:cluster-snapshot:awsbackup:job-1`;

const CLUSTER = "aws:rds/cluster:Cluster";
const GLOBAL = "aws:rds/globalCluster:GlobalCluster";
const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const TABLE = "aws:dynamodb/table:Table";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
const HEALTH = "aws:route53/healthCheck:HealthCheck";
const RECORD = "aws:route53/record:Record";
const PLAN = "aws:backup/plan:Plan";
const VAULT = "aws:backup/vault:Vault";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const LISTENER = "aws:lb/listener:Listener";
const ALB = "aws:lb/loadBalancer:LoadBalancer";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const LOGGING = "aws:s3/bucketLogging:BucketLogging";

/** The SDK's marker of a string unknown during preview (internal to @pulumi/policy, so not in its typings). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const UNKNOWN_STRING: string = require("@pulumi/policy/proxy").unknownStringValue;

type Overrides = Record<string, string>;
type Mutable = { -readonly [K in keyof Recorded]: Recorded[K] };

interface Case {
    readonly stack: "prod" | "dr";
    readonly overrides: Overrides;
    /** Advisory findings the program has by design: `policy name` -> count. */
    readonly advisories: Record<string, number>;
}

function label(c: { stack: string; overrides: Overrides }): string {
    return `${c.stack} ${Object.entries(c.overrides).map(([k, v]) => `${k}=${v}`).join(" ")}`;
}

function violationsText(vs: readonly Violation[]): string {
    return vs.map((v) => `  [${v.enforcementLevel}] ${v.policy}: ${v.message}`).join("\n") || "  (none)";
}

function run(stack: string, resources: readonly RecordedResource[], options: EvaluateOptions = {}): Promise<Violation[]> {
    return evaluate(policies, resources, { stack, project: "dr", ...options });
}

/** A deep copy of a recording's resources (recordings are shared between test files and never changed). */
function copy(r: Recording): Mutable[] {
    return JSON.parse(JSON.stringify(r.resources)) as Mutable[];
}

/** The one resource of a type in a copied list (whose name contains `nameContains`). */
function the(resources: Mutable[], type: string, nameContains = ""): Mutable {
    const found = resources.filter((r) => r.type === type && r.name.includes(nameContains));
    assert.equal(found.length, 1, `expected one ${type} *${nameContains}*, found ${found.map((r) => r.name).join(", ")}`);
    return found[0];
}

function without(resources: Mutable[], ...drop: Mutable[]): Mutable[] {
    return resources.filter((r) => !drop.includes(r));
}

/** Exactly one violation, of `policy`, at `level`, whose message matches. */
function assertOnly(vs: readonly Violation[], policy: string, message: RegExp, level = "mandatory"): void {
    assert.deepEqual(vs.map((v) => v.policy), [policy], `expected one ${policy} violation, got:\n${violationsText(vs)}`);
    assert.match(vs[0].message, message);
    assert.equal(vs[0].enforcementLevel, level);
}

function assertNone(vs: readonly Violation[]): void {
    assert.deepEqual(vs, [], `expected no violations, got:\n${violationsText(vs)}`);
}

/** The dr stack with its opt-in Region switch plan: the broken copies below then break only what they break. */
const REGION_SWITCH_ON = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };
const pilotLight = { "dr:strategy": "pilot-light" };
const activeActive = { "dr:strategy": "active-active" };
/** A dr stack's recording with the plan: `withPlan(pilotLight)`. */
const withPlan = (o: Overrides): Overrides => ({ ...o, ...REGION_SWITCH_ON });

/** `node -r ts-node/register/transpile-only <args>` in `cwd`, as the CLI runs a TypeScript pack. */
function tsNode(args: string[], cwd: string): ChildProcess {
    return spawn(process.execPath, ["-r", "ts-node/register/transpile-only", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
}

/** A child's exit code and output. */
function finished(child: ChildProcess): Promise<{ status: number | null; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => { stdout += String(d); });
    child.stderr?.on("data", (d) => { stderr += String(d); });
    return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

describe("policy pack multi-region-dr-guardrails", () => {
    // Both child processes start together, before any test: each loads ts-node and the Pulumi SDK.
    let rulesLoad: Promise<{ status: number | null; stdout: string; stderr: string }>;
    let server: ChildProcess | undefined;
    let serverPort: Promise<string>;
    before(() => {
        rulesLoad = finished(tsNode(["-e", "console.log(JSON.stringify(require('./policy/rules').policies.map((p) => p.name)))"], ROOT));
        server = tsNode(["index.ts"], path.join(ROOT, "policy"));
        // The analyzer prints the port it listens on, as the CLI expects; only a constructed pack does.
        serverPort = firstLine(server, 20000);
        serverPort.catch(() => undefined);
    });
    after(() => {
        server?.kill();
    });

    describe("packaging", () => {
        it("policy/rules loads without constructing a PolicyPack (which would serve and wait for the engine)", async function () {
            this.timeout(20000);
            // A constructed pack binds a gRPC server and prints its port: the process would not exit by itself.
            const out = await rulesLoad;
            assert.equal(out.status, 0, `exit ${out.status}: ${out.stderr}`);
            assert.deepEqual(JSON.parse(out.stdout), policies.map((p) => p.name));
        });

        it("policy names are unique and every policy says why, citing the DR reference or the page of docs/ that explains it", () => {
            const names = policies.map((p) => p.name);
            assert.equal(new Set(names).size, names.length);
            for (const p of policies) {
                assert.ok(p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory", p.name);
                assert.match(p.description, /docs\/\w+\.md/, p.name);
            }
            assert.deepEqual(policies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name).sort(),
                ["aurora-replication-lag-alarmed", "backups-copied-cross-region", "replicas-have-region-switch-plan", "restore-tests-exist", "warm-regions-have-canaries"]);
        });

        it("policy/tierNumbers.ts holds what the TierSpecs say, as npm run contract writes it", () => {
            const own = STRATEGIES.flatMap((s) => (TIERS[s].detectionBudgetSeconds === undefined ? [] : [[s, TIERS[s].detectionBudgetSeconds]]));
            assert.deepEqual(TIER_DETECTION_SECONDS, Object.fromEntries(own), "run npm run contract");
            assert.equal(fs.readFileSync(path.join(ROOT, POLICY_TIER_NUMBERS), "utf8"), policyTierNumbersModule(), "run npm run contract");
        });

        it("the pack is standalone: its files import @pulumi/policy and each other, nothing of the program", () => {
            const dir = path.join(ROOT, "policy");
            const files = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
            for (const file of files) {
                const text = fs.readFileSync(path.join(dir, file), "utf8");
                for (const [, spec] of text.matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms)) {
                    const inPack = spec.startsWith(".") && !path.relative(dir, path.resolve(dir, path.dirname(file), spec)).startsWith("..");
                    assert.ok(inPack || spec === "@pulumi/policy", `policy/${file} imports ${spec}`);
                }
            }
        });
    });

    describe("the pack as the engine runs it (policy/index.ts, over gRPC)", () => {
        let analyzer: Analyzer;

        before(async function () {
            this.timeout(30000);
            const port = await serverPort;
            assert.match(port, /^\d+$/);
            analyzer = new Analyzer(port);
        });

        after(() => {
            analyzer?.close();
        });

        it("registers every policy of policy/rules with its enforcement level", async () => {
            const info = await analyzer.info();
            assert.equal(info.name, "multi-region-dr-guardrails");
            assert.deepEqual(info.policies, policies.map((p) => [p.name, p.enforcementLevel]));
        });

        it("reports what policy/testing.ts reports, over a recording broken in seven places and a promoted dr", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            the(rs, CLUSTER).inputs.storageEncrypted = false;
            delete the(rs, BUCKET, "-objects-").protect;
            the(rs, HEALTH, "-dns-health").inputs.requestInterval = 15;
            const record = the(rs, RECORD, "-dns-record").inputs;
            delete record.aliases;
            Object.assign(record, { ttl: 300, records: ["192.0.2.10"] });
            delete the(rs, PLAN).inputs.rules[0].copyActions;
            const broken = without(rs, the(rs, SSE, "-objects-"), the(rs, ALARM, "s3-latency"));
            const promoted = (await stackRun("dr", { "dr:strategy": "warm-standby", "dr:failover": "true" })).resources;

            // The promoted dr: its two advisories by design, and the opt-in Region switch plan's.
            for (const [stack, resources, expected] of [["prod", broken, 7], ["dr", promoted, 3]] as const) {
                const ours = (await run(stack, resources)).map((v) => `${v.enforcementLevel} ${v.policy}: ${v.message}`).sort();
                const engine = (await analyzer.analyzeAll(stack, resources)).sort();
                assert.equal(ours.length, expected, ours.join("\n"));
                assert.deepEqual(engine, ours);
            }
        });
    });

    describe("the program passes, every tier and both stacks", () => {
        const cases: Case[] = [];
        // The Region switch plan is opt-in (dr:regionSwitch): without it, a dr stack holding the global
        // database's secondary has the rule's advisory, by design; with it, none.
        const replica = (tier: string) => tier !== "backup-restore";
        for (const tier of ALL_TIERS) {
            cases.push({ stack: "prod", overrides: { "dr:strategy": tier }, advisories: {} });
            cases.push({ stack: "dr", overrides: { "dr:strategy": tier }, advisories: replica(tier) ? { "replicas-have-region-switch-plan": 1 } : {} });
            cases.push({ stack: "dr", overrides: withPlan({ "dr:strategy": tier }), advisories: {} });
        }
        // A promoted (or restored) dr region backs up locally, and its Aurora cluster keeps the secondary's
        // inputs while being the writer: the two advisories, by design (README, "Backups").
        cases.push({
            stack: "dr", overrides: withPlan({ "dr:strategy": "backup-restore", "dr:failover": "true", "dr:restoreFrom": SNAPSHOT }),
            advisories: { "backups-copied-cross-region": 1 },
        });
        for (const tier of ["pilot-light", "warm-standby", "active-active"]) {
            cases.push({
                stack: "dr", overrides: withPlan({ "dr:strategy": tier, "dr:failover": "true" }),
                advisories: { "backups-copied-cross-region": 1, "aurora-replication-lag-alarmed": 1 },
            });
        }
        // dr:canaries=false and dr:restoreTests=false: the advisories that say what is then missing.
        cases.push({
            stack: "dr", overrides: withPlan({ "dr:strategy": "warm-standby", "dr:canaries": "false", "dr:restoreTests": "false" }),
            advisories: { "warm-regions-have-canaries": 1, "restore-tests-exist": 1 },
        });

        for (const c of cases) {
            it(label(c), async () => {
                const vs = await run(c.stack, (await stackRun(c.stack, c.overrides)).resources);
                assert.deepEqual(vs.filter((v) => v.enforcementLevel === "mandatory"), [], `mandatory violations:\n${violationsText(vs)}`);
                const advisories: Record<string, number> = {};
                for (const v of vs) {
                    advisories[v.policy] = (advisories[v.policy] ?? 0) + 1;
                }
                assert.deepEqual(advisories, c.advisories, violationsText(vs));
            });
        }
    });

    describe("encryption", () => {
        it("an Aurora cluster with storageEncrypted false", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            the(rs, CLUSTER).inputs.storageEncrypted = false;
            assertOnly(await run("prod", rs), "stateful-data-encrypted", /^Aurora cluster shop-db-cluster: storageEncrypted is false, must be true/);
        });

        it("an Aurora global cluster without storageEncrypted", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            delete the(rs, GLOBAL).inputs.storageEncrypted;
            assertOnly(await run("prod", rs), "stateful-data-encrypted", /^Aurora global cluster shop-db-global: storageEncrypted is not set/);
        });

        it("a global cluster made from an existing cluster takes that cluster's encryption: not judged itself", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            const global = the(rs, GLOBAL).inputs;
            delete global.storageEncrypted;
            global.sourceDbClusterIdentifier = "arn:aws:rds:us-east-1:123456789012:cluster:shop-use1-aurora";
            assertNone(await run("prod", rs));
        });

        it("a DynamoDB table without server-side encryption", async () => {
            const rs = copy(await stackRun("prod", activeActive));
            the(rs, TABLE).inputs.serverSideEncryption = { enabled: false };
            assertOnly(await run("prod", rs), "stateful-data-encrypted", /^DynamoDB table shop-table-table: serverSideEncryption.enabled is false/);
        });

        it("an ElastiCache replication group without encryption in transit", async () => {
            const rs = copy(await stackRun("dr", withPlan({ "dr:strategy": "warm-standby" })));
            the(rs, CACHE).inputs.transitEncryptionEnabled = false;
            assertOnly(await run("dr", rs), "stateful-data-encrypted", /replication group shop-cache-group: transitEncryptionEnabled is false/);
        });

        it("a bucket whose encryption configuration was dropped", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            assertOnly(await run("prod", without(rs, the(rs, SSE, "-objects-"))), "s3-buckets-encrypted-with-kms",
                /^S3 bucket shop-objects-bucket has no server-side encryption configuration/);
        });

        it("a bucket encrypted with AES256 rather than a KMS key", async () => {
            const rs = copy(await stackRun("dr", withPlan(pilotLight)));
            the(rs, SSE, "-objects-").inputs.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" };
            assertOnly(await run("dr", rs), "s3-buckets-encrypted-with-kms", /^S3 bucket shop-objects-bucket is encrypted with "AES256", not aws:kms/);
        });

        it("an encryption configuration counts only for the bucket it names", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            the(rs, SSE, "-objects-").inputs.bucket = "some-other-bucket";
            assertOnly(await run("prod", rs), "s3-buckets-encrypted-with-kms", /shop-objects-bucket has no server-side encryption/);
        });
    });

    describe("deletion protection", () => {
        it("an Aurora cluster with deletionProtection false", async () => {
            const rs = copy(await stackRun("dr", withPlan(pilotLight)));
            the(rs, CLUSTER).inputs.deletionProtection = false;
            assertOnly(await run("dr", rs), "stateful-data-deletion-protected", /^Aurora cluster shop-db-cluster: deletionProtection is false, must be true/);
        });

        it("an Aurora global cluster without Pulumi's protect", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            the(rs, GLOBAL).protect = false;
            assertOnly(await run("prod", rs), "stateful-data-deletion-protected", /^Aurora global cluster shop-db-global: not protected/);
        });

        it("a DynamoDB global table whose replica is not deletion-protected", async () => {
            const rs = copy(await stackRun("prod", activeActive));
            the(rs, TABLE).inputs.replicas[0].deletionProtectionEnabled = false;
            assertOnly(await run("prod", rs), "stateful-data-deletion-protected", /replica "us-west-2" has deletionProtectionEnabled false/);
        });

        it("a bucket without Pulumi's protect", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            delete the(rs, BUCKET, "-objects-").protect;
            assertOnly(await run("prod", rs), "stateful-data-deletion-protected", /^S3 bucket shop-objects-bucket: not protected \(resource option protect is false\)/);
        });
    });

    describe("health checks and failover DNS", () => {
        it("a health check with requestInterval 15", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            the(rs, HEALTH, "-dns-health").inputs.requestInterval = 15;
            assertOnly(await run("prod", rs), "health-check-detection-within-tier", /requestInterval 15 must be 10 or 30 s/);
        });

        it("a health check with failureThreshold 0 or 11", async () => {
            for (const threshold of [0, 11]) {
                const rs = copy(await stackRun("prod", pilotLight));
                the(rs, HEALTH, "-dns-health").inputs.failureThreshold = threshold;
                assertOnly(await run("prod", rs), "health-check-detection-within-tier", new RegExp(`failureThreshold ${threshold} must be a whole number from 1 to 10`));
            }
        });

        it("interval 30 x threshold 10 in active-active: 300 s of detection against its 30 s budget", async () => {
            const rs = copy(await stackRun("dr", withPlan(activeActive)));
            Object.assign(the(rs, HEALTH, "-dns-health").inputs, { requestInterval: 30, failureThreshold: 10 });
            assertOnly(await run("dr", rs), "health-check-detection-within-tier",
                /after 30 s x 10 = 300 s, over the 30 s budget of the active-active tier/);
        });

        it("interval 10 x threshold 5 in active-active (50 s) fails; the budget is policy config", async () => {
            const rs = copy(await stackRun("prod", activeActive));
            Object.assign(the(rs, HEALTH, "-dns-health").inputs, { requestInterval: 10, failureThreshold: 5 });
            assertOnly(await run("prod", rs), "health-check-detection-within-tier", /= 50 s, over the 30 s budget/);
            assertNone(await run("prod", rs, { config: { "health-check-detection-within-tier": { activeActiveMaxDetectionSeconds: 60 } } }));
        });

        it("the other tiers allow 300 s (30 s x 10, Route 53's slowest) unless configured tighter", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            Object.assign(the(rs, HEALTH, "-dns-health").inputs, { requestInterval: 30, failureThreshold: 10 });
            assertNone(await run("prod", rs));
            assertOnly(await run("prod", rs, { config: { "health-check-detection-within-tier": { maxDetectionSeconds: 120 } } }),
                "health-check-detection-within-tier", /= 300 s, over the 120 s budget of the pilot-light tier/);
        });

        it("Route 53's defaults apply to unset inputs: 30 s x 3 is 90 s, over active-active's budget", async () => {
            const rs = copy(await stackRun("prod", activeActive));
            const check = the(rs, HEALTH, "-dns-health").inputs;
            delete check.requestInterval;
            delete check.failureThreshold;
            assertOnly(await run("prod", rs), "health-check-detection-within-tier", /after 30 s x 3 = 90 s/);
        });

        it("calculated and metric health checks have no interval of their own: not judged", async () => {
            const rs = copy(await stackRun("prod", activeActive));
            const check = the(rs, HEALTH, "-dns-health").inputs;
            for (const key of ["fqdn", "port", "resourcePath", "requestInterval", "failureThreshold", "measureLatency"]) {
                delete check[key];
            }
            Object.assign(check, { type: "CALCULATED", childHealthThreshold: 1, childHealthchecks: ["a", "b"] });
            assertNone(await run("prod", rs));
            check.type = "HTTP"; // the same check as an endpoint check falls back to Route 53's 30 s x 3
            assertOnly(await run("prod", rs), "health-check-detection-within-tier", /after 30 s x 3 = 90 s/);
        });

        it("an inverted or a disabled health check: a dead endpoint would count as healthy", async () => {
            for (const key of ["invertHealthcheck", "disabled"]) {
                const rs = copy(await stackRun("prod", pilotLight));
                the(rs, HEALTH, "-dns-health").inputs[key] = true;
                assertOnly(await run("prod", rs), "health-checks-never-inverted", new RegExp(`health check shop-dns-health: ${key} is true, so a dead endpoint can count as healthy`));
            }
        });

        it("a failover record with ttl 300 instead of an alias", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            const record = the(rs, RECORD, "-dns-record").inputs;
            delete record.aliases;
            Object.assign(record, { ttl: 300, records: ["192.0.2.10"] });
            assertOnly(await run("prod", rs), "routed-records-fail-over-fast", /record shop-dns-record \(failover routing\): ttl 300 s is over 60 s/);
            record.ttl = 60;
            assertNone(await run("prod", rs));
        });

        it("a latency record without a health check", async () => {
            const rs = copy(await stackRun("dr", withPlan(activeActive)));
            delete the(rs, RECORD, "-dns-record").inputs.healthCheckId;
            assertOnly(await run("dr", rs), "routed-records-fail-over-fast", /record shop-dns-record \(latency routing\) has no healthCheckId/);
        });

        it("a simple record (no routing policy) needs neither a health check nor a short TTL", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            const record = the(rs, RECORD, "-dns-record").inputs;
            for (const key of ["aliases", "failoverRoutingPolicies", "healthCheckId", "setIdentifier"]) {
                delete record[key];
            }
            Object.assign(record, { ttl: 3600, records: ["192.0.2.10"] });
            assertNone(await run("prod", rs));
        });
    });

    describe("replication-lag alarms", () => {
        it("a replicating bucket whose ReplicationLatency alarm was removed", async () => {
            const rs = copy(await stackRun("prod", { "dr:strategy": "warm-standby" }));
            assertOnly(await run("prod", without(rs, the(rs, ALARM, "s3-latency"))), "s3-replication-alarmed",
                /^Bucket shop-data-123456789012-us-east-1 replicates \(shop-objects-replication\) but no alarm watches its AWS\/S3 ReplicationLatency/);
        });

        it("alarms on another bucket's replication do not count", async () => {
            const rs = copy(await stackRun("dr", withPlan(activeActive)));
            for (const alarm of rs.filter((r) => r.type === ALARM && r.name.includes("s3-"))) {
                alarm.inputs.dimensions.SourceBucket = "someone-elses-bucket";
            }
            const vs = await run("dr", rs);
            assert.deepEqual(vs.map((v) => v.policy), ["s3-replication-alarmed", "s3-replication-alarmed"], violationsText(vs));
            assert.match(vs[1].message, /OperationsFailedReplication/);
        });

        it("an Aurora secondary without its AuroraGlobalDBReplicationLag alarm: advisory", async () => {
            const rs = copy(await stackRun("dr", withPlan(pilotLight)));
            assertOnly(await run("dr", without(rs, the(rs, ALARM, "aurora-lag"))), "aurora-replication-lag-alarmed",
                /^Aurora cluster shop-usw2-aurora is a global database secondary without an AuroraGlobalDBReplicationLag alarm/, "advisory");
        });

        it("a cluster with its own master password is a writer, not a secondary: no lag alarm needed", async () => {
            const rs = copy(await stackRun("dr", withPlan(pilotLight)));
            the(rs, CLUSTER).inputs.masterPassword = "a-writer-of-its-own";
            assertNone(await run("dr", without(rs, the(rs, ALARM, "aurora-lag"))));
        });

        it("the primary's writer (it created the global cluster) needs no lag alarm", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            assert.equal(rs.some((r) => r.type === ALARM && r.inputs.metricName === "AuroraGlobalDBReplicationLag"), false);
            delete the(rs, CLUSTER).inputs.masterPassword; // even without its password: the GlobalCluster is here
            assertNone(await run("prod", rs));
        });
    });

    describe("backups", () => {
        it("prod's plan without its copy action keeps the backups in the region they protect: advisory", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            delete the(rs, PLAN).inputs.rules[0].copyActions;
            assertOnly(await run("prod", rs), "backups-copied-cross-region",
                /^Backup plan shop-backup-plan keeps every recovery point in us-east-1: no rule copies to another region's vault/, "advisory");
        });

        it("a copy action into the plan's own region", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            the(rs, PLAN).inputs.rules[0].copyActions[0].destinationVaultArn = `arn:aws:backup:us-east-1:${ACCOUNT_ID}:backup-vault:shop-use1-backups`;
            const vs = await run("prod", rs);
            assert.deepEqual(vs.map((v) => `${v.enforcementLevel} ${v.policy}`),
                ["mandatory backup-copies-leave-the-region", "advisory backups-copied-cross-region"], violationsText(vs));
            assert.match(vs[0].message, /copies to arn:aws:backup:us-east-1:.*, in the plan's own region us-east-1/);
        });

        it("a copy destination that is not a backup vault ARN", async () => {
            const rs = copy(await stackRun("prod", activeActive));
            the(rs, PLAN).inputs.rules[0].copyActions[0].destinationVaultArn = "shop-usw2-backups";
            const vs = await run("prod", rs);
            assert.deepEqual(vs.map((v) => v.policy), ["backup-copies-leave-the-region", "backups-copied-cross-region"], violationsText(vs));
            assert.match(vs[0].message, /copy destination "shop-usw2-backups" is not a backup vault ARN/);
        });

        it("the plan's region comes from its provider: without one, the copies can't be judged (advisory)", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            const withoutProviders = rs.filter((r) => !r.type.startsWith("pulumi:providers:"));
            assertOnly(await run("prod", withoutProviders), "backups-copied-cross-region", /can't tell the plan's region/, "advisory");
        });

        it("stateful data with no backup plan and no vault at all", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            const vs = await run("prod", without(rs, the(rs, PLAN), the(rs, VAULT)));
            assertOnly(vs, "stateful-data-backed-up", /^No AWS Backup plan and no backup vault in a stack holding Aurora cluster shop-db-cluster, S3 bucket shop-objects-bucket/);
        });

        it("a standby region's vault is enough: it receives the writer region's copies", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            assertNone(await run("prod", without(rs, the(rs, PLAN))));
        });
    });

    describe("the edge: HTTPS, access logs, launch templates, TLS-only buckets", () => {
        it("an HTTPS listener on a policy that still accepts TLS 1.0, or without a certificate", async () => {
            const rs = copy(await stackRun("dr", withPlan(pilotLight)));
            the(rs, LISTENER, "-https").inputs.sslPolicy = "ELBSecurityPolicy-2016-08";
            assertOnly(await run("dr", rs), "alb-https-listeners-current-tls", /sslPolicy is "ELBSecurityPolicy-2016-08", must be a TLS 1\.3 policy/);
            const noCert = copy(await stackRun("dr", withPlan(pilotLight)));
            delete the(noCert, LISTENER, "-https").inputs.certificateArn;
            assertOnly(await run("dr", noCert), "alb-https-listeners-current-tls", /HTTPS without a certificateArn/);
        });

        it("an HTTP listener that forwards instead of redirecting to HTTPS", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            const http = rs.find((r) => r.type === LISTENER && r.name.endsWith("-http"))!.inputs;
            http.defaultActions = the(rs, LISTENER, "-https").inputs.defaultActions;
            assertOnly(await run("prod", rs), "alb-http-redirects-to-https", /HTTP on port 80 with default actions \["forward"\]: it must only redirect to HTTPS/);
        });

        it("an ALB without access logs", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            delete the(rs, ALB).inputs.accessLogs;
            assertOnly(await run("prod", rs), "alb-access-logs-enabled", /^Load balancer shop-app-alb: access logs are off/);
        });

        it("a launch template without a block device mapping, or with an unencrypted or default-key volume", async () => {
            const none = copy(await stackRun("dr", withPlan(pilotLight)));
            delete the(none, LT).inputs.blockDeviceMappings;
            assertOnly(await run("dr", none), "launch-templates-encrypted", /no EBS block device mapping/);
            const plain = copy(await stackRun("dr", withPlan(pilotLight)));
            the(plain, LT).inputs.blockDeviceMappings[0].ebs.encrypted = "false";
            assertOnly(await run("dr", plain), "launch-templates-encrypted", /volume "\/dev\/xvda" has encrypted "false", must be "true"/);
            const defaultKey = copy(await stackRun("dr", withPlan(pilotLight)));
            delete the(defaultKey, LT).inputs.blockDeviceMappings[0].ebs.kmsKeyId;
            assertOnly(await run("dr", defaultKey), "launch-templates-encrypted", /encrypted without a kmsKeyId/);
        });

        it("a bucket without its TLS-only policy, or whose policy does not deny plain HTTP", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            assertOnly(await run("prod", without(rs, the(rs, BUCKET_POLICY, "-objects-"))), "s3-buckets-tls-only",
                /^S3 bucket shop-objects-bucket has no bucket policy: it accepts requests without TLS/);
            const loose = copy(await stackRun("prod", pilotLight));
            const logsPolicy = the(loose, BUCKET_POLICY, "-logs-");
            const doc = JSON.parse(logsPolicy.inputs.policy);
            doc.Statement = doc.Statement.filter((st: any) => st.Effect !== "Deny");
            logsPolicy.inputs.policy = JSON.stringify(doc);
            assertOnly(await run("prod", loose), "s3-buckets-tls-only", /^S3 bucket shop-logs-bucket: its bucket policy does not deny requests without TLS/);
        });

        it("a data bucket without server access logging; the log bucket needs none, and may be SSE-S3", async () => {
            const rs = copy(await stackRun("dr", withPlan(pilotLight)));
            assertOnly(await run("dr", without(rs, the(rs, LOGGING))), "s3-buckets-access-logged", /^S3 bucket shop-objects-bucket has no server access logging/);
            const logs = the(rs, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "-logs-").inputs;
            assert.equal(logs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        });

        it("a bucket that receives no logs is held to KMS: the log bucket's exemption comes from the ALB and the logging that write to it", async () => {
            const rs = copy(await stackRun("dr", { "dr:strategy": "backup-restore" }));
            delete the(rs, ALB).inputs.accessLogs;
            const vs = await run("dr", rs);
            assert.deepEqual(vs.map((v) => v.policy).sort(), ["alb-access-logs-enabled", "s3-buckets-access-logged", "s3-buckets-encrypted-with-kms"]);
        });
    });

    describe("DR operations: the Region switch plan, canaries, restore tests", () => {
        const regionSwitchOn = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };
        const PLAN_TYPE = "aws:arcregionswitch/plan:Plan";

        it("a Region switch plan whose workflow does not start with an approval, without an RTO, health alarm or report", async () => {
            const rs = copy(await stackRun("dr", { "dr:strategy": "warm-standby", ...regionSwitchOn }));
            const plan = the(rs, PLAN_TYPE).inputs;
            plan.workflows[0].steps.shift();
            delete plan.recoveryTimeObjectiveMinutes;
            plan.associatedAlarms = [];
            plan.reportConfigurations = [];
            const vs = await run("dr", rs);
            assert.deepEqual(vs.map((v) => v.policy), Array(4).fill("region-switch-plan-complete"), violationsText(vs));
            assert.match(vs[0].message, /workflow "activate" "us-west-2" starts with "Parallel", not a ManualApproval step/);
            assert.match(vs.map((v) => v.message).join("\n"), /no recoveryTimeObjectiveMinutes[\s\S]*no application-health alarm[\s\S]*no S3 report output/);
        });

        it("a failover without an approval only where a trigger starts it on an alarm that must be green (dr:autoFailover auto)", async () => {
            const auto = { "dr:strategy": "warm-standby", "dr:autoFailover": "auto", ...regionSwitchOn };
            assertNone(await run("dr", copy(await stackRun("dr", auto))));
            const noDisarm = copy(await stackRun("dr", auto));
            the(noDisarm, PLAN_TYPE).inputs.triggers[0].conditions.pop();
            assertOnly(await run("dr", noDisarm), "region-switch-plan-complete", /workflow "activate" "us-west-2" starts with "Parallel", not a ManualApproval step/);
            const noTrigger = copy(await stackRun("dr", auto));
            delete the(noTrigger, PLAN_TYPE).inputs.triggers;
            assertOnly(await run("dr", noTrigger), "region-switch-plan-complete", /not a ManualApproval step/);
        });

        it("a canary whose SuccessPercent alarm was removed: nobody would be told", async () => {
            const rs = copy(await stackRun("dr", withPlan({ "dr:strategy": "warm-standby" })));
            const vs = await run("dr", without(rs, the(rs, ALARM, "-canary-alarm")));
            assert.deepEqual(vs.map((v) => v.policy), ["canaries-alarmed"], violationsText(vs));
            assert.match(vs[0].message, /^Canary shop-usw2-health has no SuccessPercent alarm/);
        });

        it("a locked vault whose restore testing selection is gone: advisory", async () => {
            const rs = copy(await stackRun("dr", withPlan(pilotLight)));
            const vs = await run("dr", rs.filter((r) => r.type !== "aws:backup/restoreTestingSelection:RestoreTestingSelection"));
            assert.deepEqual(vs.map((v) => [v.policy, v.enforcementLevel]), [["restore-tests-exist", "advisory"]], violationsText(vs));
        });

        it("a dr stack holding the global database's secondary without a Region switch plan: advisory", async () => {
            const rs = copy(await stackRun("dr", { "dr:strategy": "pilot-light", ...regionSwitchOn }));
            const vs = await run("dr", rs.filter((r) => r.type !== PLAN_TYPE));
            assert.deepEqual(vs.filter((v) => v.policy === "replicas-have-region-switch-plan").map((v) => v.enforcementLevel), ["advisory"]);
        });
    });

    describe("preview: ids and ARNs AWS computes are unknown", () => {
        /** Unknown in a first preview: every id, ARN and name another resource hands over at creation. */
        function asInPreview(rs: Mutable[]): EvaluateOptions {
            the(rs, RECORD, "-dns-record").inputs.healthCheckId = UNKNOWN_STRING;
            the(rs, SSE, "-objects-").inputs.bucket = UNKNOWN_STRING;
            the(rs, REPLICATION).inputs.bucket = UNKNOWN_STRING;
            for (const alarm of rs.filter((r) => r.type === ALARM)) {
                alarm.inputs.dimensions.SourceBucket = UNKNOWN_STRING;
            }
            the(rs, CLUSTER).inputs.globalClusterIdentifier = UNKNOWN_STRING;
            // The log bucket's configurations and the ALB's access logs name it by an id AWS computes too.
            const dependencies: Record<string, Record<string, string[]>> = {
                [the(rs, SSE, "-objects-").name]: { bucket: [the(rs, BUCKET, "-objects-").name] },
            };
            const logBucket = the(rs, BUCKET, "-logs-").name;
            for (const config of rs.filter((r) => r.name.includes("-logs-") && r.inputs.bucket !== undefined)) {
                config.inputs.bucket = UNKNOWN_STRING;
                dependencies[config.name] = { bucket: [logBucket] };
            }
            the(rs, LOGGING).inputs.targetBucket = UNKNOWN_STRING;
            the(rs, ALB).inputs.accessLogs.bucket = UNKNOWN_STRING;
            dependencies[the(rs, LOGGING).name] = { bucket: [the(rs, BUCKET, "-objects-").name], targetBucket: [logBucket] };
            dependencies[the(rs, ALB).name] = { accessLogs: [logBucket] };
            the(rs, LOGGING).inputs.bucket = UNKNOWN_STRING;
            // The engine still knows which resource each input came from.
            return { propertyDependencies: dependencies };
        }

        it("the program's preview passes with every rule evaluated (no \"can't run during preview\")", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            assertNone(await run("prod", rs, asInPreview(rs)));
        });

        it("and still fails when the bucket's encryption configuration is gone", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            const options = asInPreview(rs);
            assertOnly(await run("prod", without(rs, the(rs, SSE, "-objects-")), options), "s3-buckets-encrypted-with-kms", /has no server-side encryption configuration/);
        });

        it("an unknown literal setting is reported as not checkable in preview, as the engine does", async () => {
            const rs = copy(await stackRun("prod", pilotLight));
            the(rs, CLUSTER).inputs.storageEncrypted = require("@pulumi/policy/proxy").unknownBooleanValue;
            assertOnly(await run("prod", rs), "stateful-data-encrypted", /^can't run policy 'stateful-data-encrypted' during preview/, "advisory");
        });
    });
});

/** The first line a child process writes to stdout (or a rejection if it exits or times out first). */
function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms: ${err}`)), timeoutMs);
        child.stderr?.on("data", (d) => { err += String(d); });
        child.stdout?.on("data", (d) => {
            out += String(d);
            const nl = out.indexOf("\n");
            if (nl >= 0) {
                clearTimeout(timer);
                resolve(out.slice(0, nl).trim());
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`exited with ${code} before printing a line: ${err}`));
        });
    });
}

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A client of the policy pack's analyzer, sending what the engine sends: each resource's inputs to Analyze,
 * then every resource to AnalyzeStack. Properties go as recorded (secrets in their wire form).
 */
class Analyzer {
    private readonly client: any;

    constructor(port: string) {
        this.client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    }

    close(): void {
        this.client.close();
    }

    private call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => this.client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
    }

    async info(): Promise<{ name: string; policies: [string, string][] }> {
        const levels = ["advisory", "mandatory", "disabled", "remediate"];
        const info: any = await this.call("getAnalyzerInfo", new Empty());
        return { name: info.getName(), policies: info.getPoliciesList().map((p: any) => [p.getName(), levels[p.getEnforcementlevel()]]) };
    }

    /** Diagnostics of Analyze (each custom resource) and AnalyzeStack, as `level policy: message`. */
    async analyzeAll(stack: string, resources: readonly RecordedResource[]): Promise<string[]> {
        const urn = (r: { type: string; name: string }) => `urn:pulumi:${stack}::dr::${r.type}::${r.name}`;
        const byName = new Map(resources.map((r) => [r.name, r]));
        const props = (r: RecordedResource) => Struct.fromJavaScript(JSON.parse(JSON.stringify(r.inputs)));
        const provider = (r: RecordedResource) => {
            const parts = (r.provider ?? "").split("::");
            const p = byName.get(parts[parts.length - 2] ?? "");
            if (!r.provider || !p) {
                return undefined;
            }
            const pr = new analyzerPb.AnalyzerProviderResource();
            pr.setType(p.type);
            pr.setProperties(props(p));
            pr.setUrn(urn(p));
            pr.setName(p.name);
            return pr;
        };
        const options = (r: RecordedResource) => {
            const o = new analyzerPb.AnalyzerResourceOptions();
            o.setProtect(r.protect ?? false);
            o.setIgnorechangesList(r.ignoreChanges ?? []);
            const parent = r.parent !== undefined ? byName.get(r.parent) : undefined;
            if (parent) {
                o.setParent(urn(parent));
            }
            return o;
        };
        const describe = (ds: any[]) => ds.map((d) => {
            const policy = policies.find((p) => p.name === d.getPolicyname())!;
            // The analyzer prefixes each message with the policy's description.
            const message: string = d.getMessage().startsWith(`${policy.description}\n`)
                ? d.getMessage().slice(policy.description.length + 1) : d.getMessage();
            return `${["advisory", "mandatory"][d.getEnforcementlevel()]} ${d.getPolicyname()}: ${message}`;
        });

        const out: string[] = [];
        for (const r of resources.filter((x) => x.custom !== false && !x.type.startsWith("pulumi:"))) {
            const req = new analyzerPb.AnalyzeRequest();
            req.setType(r.type);
            req.setProperties(props(r));
            req.setUrn(urn(r));
            req.setName(r.name);
            req.setOptions(options(r));
            const p = provider(r);
            if (p) {
                req.setProvider(p);
            }
            out.push(...describe((await this.call<any>("analyze", req)).getDiagnosticsList()));
        }
        const stackReq = new analyzerPb.AnalyzeStackRequest();
        stackReq.setResourcesList(resources.map((r) => {
            const ar = new analyzerPb.AnalyzerResource();
            ar.setType(r.type);
            ar.setProperties(props(r));
            ar.setUrn(urn(r));
            ar.setName(r.name);
            ar.setOptions(options(r));
            const p = provider(r);
            if (p) {
                ar.setProvider(p);
            }
            const parent = r.parent !== undefined ? byName.get(r.parent) : undefined;
            if (parent) {
                ar.setParent(urn(parent));
            }
            return ar;
        }));
        out.push(...describe((await this.call<any>("analyzeStack", stackReq)).getDiagnosticsList()));
        return out;
    }
}

describe("policy pack: the recovery levers add no finding", () => {
    const approvers = { ...REGION_SWITCH_ON };
    const LEVERS: readonly [string, Overrides][] = [
        ["backup-restore", { "dr:autoFailover": "approve", "dr:approvalSeconds": "300", "dr:restoreSeconds": "3600", ...approvers }],
        ["pilot-light", { "dr:autoFailover": "approve", "dr:approvalSeconds": "300", "dr:warmPool": "stopped", "dr:standbyDatabase": "serverless", ...approvers }],
        ["warm-standby", { "dr:autoFailover": "auto", "dr:warmPool": "hibernated", "dr:cacheReplication": "global-datastore",
            "dr:globalDatastoreId": "mockx-shop-use1-cache", "dr:canaryRateMinutes": "1", ...approvers }],
        ["active-active", { "dr:autoFailover": "auto", "dr:warmPool": "running", "dr:activeActiveCapacityPercent": "50", "dr:enforceObjectives": "false", ...approvers }],
    ];
    for (const [strategy, levers] of LEVERS) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: the same findings with every lever the tier allows as with none`, async () => {
                const findings = async (o: Overrides) => (await run(stack, (await stackRun(stack, { "dr:strategy": strategy, ...o })).resources))
                    .map((v) => `${v.enforcementLevel} ${v.policy}`).sort();
                const { "dr:globalDatastoreId": _id, ...pairKeys } = levers;
                const on = stack === "dr" ? levers : pairKeys;
                assert.deepEqual(await findings(on), await findings(stack === "dr" ? approvers : {}));
            });
        }
    }
});

