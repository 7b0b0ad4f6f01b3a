// The security posture the program's resource graphs show, per tier and stack: the region's key and who
// may administer and use it, the encrypted alarm topic with its pagers, the replication role's key scope,
// and the log buckets with the access logs they receive.
import { strict as assert } from "assert";
import { STRATEGIES } from "../model/strategy";
import { ALB_LOG_PREFIX, elbLogDeliveryPrincipal, logBucketPolicy, tlsOnlyStatement } from "../model/policies/bucketPolicy";
import { KEY_USING_SERVICES, autoScalingServiceRoleArn, dataKeyPolicy } from "../model/policies/keyPolicy";
import { logBucketName } from "../model/naming";
import { LOG_GROUP_RETENTION_DAYS, functionNameOfArn, logGroupRetentionDays } from "../model/logGroups";
import { APP_DB_USER, appInstancePolicy } from "../model/workload";
import { Recording, stackRun } from "../offline/evaluate";

const KEY = "aws:kms/key:Key";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ACCOUNT = "123456789012";
const regionOf = (stack: "prod" | "dr") => (stack === "prod" ? "us-east-1" : "us-west-2");
const keyArnOf = (r: Recording) => r.one(KEY).state!.arn;

describe("the region's data key: a key policy that names who administers and who uses it", () => {
    it("the account administers (management actions only); the data services of the key's region use it; Auto Scaling's role and CloudWatch are named", () => {
        const policy = dataKeyPolicy({ accountId: ACCOUNT, region: "us-west-2" });
        const [admin, use, asg, asgGrant, cloudwatch, logs] = policy.Statement as any[];
        assert.deepEqual(admin.Principal, { AWS: `arn:aws:iam::${ACCOUNT}:root` });
        assert.ok(!admin.Action.some((a: string) => /Encrypt|Decrypt|GenerateDataKey/.test(a)), "administrators cannot decrypt through it");
        assert.ok(admin.Action.includes("kms:Put*"), "the account can always repair the policy (PutKeyPolicy: no lockout)");
        assert.deepEqual(use.Condition.StringEquals["kms:ViaService"], KEY_USING_SERVICES.map((s) => `${s}.us-west-2.amazonaws.com`));
        assert.deepEqual([...KEY_USING_SERVICES].sort(), ["backup", "dynamodb", "ec2", "elasticache", "rds", "s3", "sns", "ssm"]);
        assert.equal(use.Condition.StringEquals["kms:CallerAccount"], ACCOUNT);
        for (const st of [asg, asgGrant]) {
            assert.deepEqual(st.Condition.ArnEquals, { "aws:PrincipalArn": autoScalingServiceRoleArn(ACCOUNT) });
            assert.equal(st.Condition.StringEquals["kms:CallerAccount"], ACCOUNT);
        }
        assert.equal(autoScalingServiceRoleArn(ACCOUNT),
            "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
        assert.deepEqual(asgGrant.Condition.Bool, { "kms:GrantIsForAWSResource": "true" }, "grants only for EC2's own use");
        assert.deepEqual(cloudwatch.Principal, { Service: "cloudwatch.amazonaws.com" });
        assert.deepEqual(cloudwatch.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
        // CloudWatch Logs of the key's own region, for this account's and region's log groups only (issue 17, item 1.7).
        assert.deepEqual(logs.Principal, { Service: "logs.us-west-2.amazonaws.com" });
        assert.deepEqual(logs.Condition, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:*` } });
    });

    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: the key carries that policy for the stack's own account and region`, async () => {
                const r = await stackRun(stack, { "dr:strategy": strategy });
                const policy = JSON.parse(r.one(KEY).inputs.policy);
                assert.deepEqual(policy, dataKeyPolicy({ accountId: ACCOUNT, region: regionOf(stack) }));
            });
        }
    }
});

describe("pagers: the encrypted alarm topic, its subscribers, and the team's own topics", () => {
    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: the topic is encrypted with the region's key; no subscriber unless dr:alarmEmails names one`, async () => {
                const r = await stackRun(stack, { "dr:strategy": strategy });
                assert.equal(r.one(TOPIC).inputs.kmsMasterKeyId, keyArnOf(r));
                assert.equal(r.ofType(SUBSCRIPTION).length, 0);
            });

            it(`${strategy}, ${stack}: dr:alarmEmails subscribes each address; dr:alarmTopicArns is an action of every alarm, the fence's too`, async () => {
                const pager = `arn:aws:sns:${regionOf(stack)}:${ACCOUNT}:pager`;
                const r = await stackRun(stack, {
                    "dr:strategy": strategy,
                    "dr:alarmEmails": "[\"oncall@example.com\", \"dba@example.com\"]",
                    "dr:alarmTopicArns": pager,
                });
                const topicArn = r.one(TOPIC).state!.arn;
                assert.deepEqual(r.ofType(SUBSCRIPTION).map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]),
                    [["email", "oncall@example.com", topicArn], ["email", "dba@example.com", topicArn]]);
                const alarms = r.ofType(ALARM);
                assert.ok(alarms.length > 0, "every stack has an alarm: the canary's, at least, where the region serves or stands warm, else the fence's");
                for (const alarm of alarms) {
                    assert.deepEqual(alarm.inputs.alarmActions, [topicArn, pager], alarm.name);
                    assert.deepEqual(alarm.inputs.okActions, [topicArn, pager], alarm.name);
                }
            });
        }
    }
});

describe("the replication role's use of the dr region's key", () => {
    for (const strategy of STRATEGIES.filter((s) => s !== "backup-restore")) {
        it(`${strategy}, prod: no statement on every resource; the dr key only by its alias, through S3 in us-west-2`, async () => {
            const r = await stackRun("prod", { "dr:strategy": strategy });
            const policy = JSON.parse(r.one(ROLE_POLICY, "-replication-policy").inputs.policy);
            assert.ok(policy.Statement.every((s: any) => s.Resource !== "*"));
            const kms = policy.Statement.find((s: any) => s.Action.includes("kms:Encrypt"));
            assert.equal(kms.Resource, `arn:aws:kms:us-west-2:${ACCOUNT}:key/*`);
            assert.deepEqual(kms.Condition["ForAnyValue:StringEquals"], { "kms:ResourceAliases": "alias/shop-dr-data" });
            assert.deepEqual(kms.Condition.StringEquals, { "kms:ViaService": "s3.us-west-2.amazonaws.com" });
        });
    }
});

describe("logs: a log bucket per region; ALB and S3 access logs; every bucket TLS only", () => {
    const BUCKET = "aws:s3/bucket:Bucket";
    const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
    const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
    const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
    const LOGGING = "aws:s3/bucketLogging:BucketLogging";
    const ALB = "aws:lb/loadBalancer:LoadBalancer";

    it("the ELB account of the region writes ALB logs where AWS documents one; newer regions take the service principal", () => {
        assert.deepEqual(elbLogDeliveryPrincipal("us-east-1"), { AWS: "arn:aws:iam::127311923021:root" });
        assert.deepEqual(elbLogDeliveryPrincipal("us-west-2"), { AWS: "arn:aws:iam::797873946194:root" });
        assert.deepEqual(elbLogDeliveryPrincipal("ap-southeast-5"), { Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
        assert.deepEqual(tlsOnlyStatement("arn:aws:s3:::b").Condition, { Bool: { "aws:SecureTransport": "false" } });
    });

    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: the region's log bucket is private, SSE-S3, expires logs after dr:logRetentionDays, and takes the ALB's and S3's logs`, async () => {
                const region = regionOf(stack);
                const r = await stackRun(stack, { "dr:strategy": strategy, "dr:logRetentionDays": "30" });
                const logs = r.one(BUCKET, "-logs-");
                assert.equal(logs.inputs.bucket, logBucketName("shop", region, ACCOUNT));
                assert.equal(logs.protect, true);
                assert.equal(r.one(SSE, "-logs-").inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
                const pab = r.one(PAB, "-logs-").inputs;
                assert.deepEqual([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [true, true, true, true]);
                assert.equal(r.one(LIFECYCLE, "-logs-").inputs.rules[0].expiration.days, 30);
                assert.deepEqual(JSON.parse(r.one(POLICY, "-logs-").inputs.policy),
                    logBucketPolicy({ bucketArn: logs.state!.arn, region, accountId: ACCOUNT }));
                // The VPC's flow logs, to this bucket's expiring prefix, which the policy lets the log delivery service write.
                const flow = r.one("aws:ec2/flowLog:FlowLog").inputs;
                assert.deepEqual([flow.vpcId, flow.logDestination], [r.one("awsx:ec2:Vpc").state!.vpcId, `${logs.state!.arn}/vpc-flow-logs/`]);
                const alb = r.one(ALB).inputs.accessLogs;
                assert.deepEqual(alb, { bucket: logs.inputs.bucket, prefix: ALB_LOG_PREFIX, enabled: true });
                const data = r.ofType(BUCKET).find((b) => b.name.includes("-objects-"));
                const logging = r.ofType(LOGGING);
                assert.deepEqual(logging.map((l) => [l.inputs.bucket, l.inputs.targetBucket, l.inputs.targetPrefix]),
                    data ? [[data.inputs.bucket, logs.inputs.bucket, "s3/data/"]] : [], "the data bucket's server access logs");
                for (const bucket of r.ofType(BUCKET)) {
                    const policies = r.ofType(POLICY).filter((p) => p.inputs.bucket === bucket.inputs.bucket);
                    assert.equal(policies.length, 1, bucket.name);
                    assert.deepEqual(JSON.parse(policies[0].inputs.policy).Statement[0], tlsOnlyStatement(bucket.state!.arn), `${bucket.name} is TLS only`);
                }
            });
        }
    }

    it("only logs expire: the access logs and the canaries' runs, not the canaries' code nor the Region switch reports; replaced versions too (issue 17, 2.1 and 1.5)", async () => {
        const r = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:logRetentionDays": "30", "dr:regionSwitch": "true",
            "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" });
        const rules = r.one(LIFECYCLE, "-logs-").inputs.rules as { id: string; filter: { prefix?: string }; expiration?: { days: number }; noncurrentVersionExpiration: { noncurrentDays: number } }[];
        const expiring = rules.filter((x) => x.expiration !== undefined).map((x) => x.filter.prefix);
        assert.deepEqual(expiring, ["alb/", "s3/", "vpc-flow-logs/", "synthetics/canary/"]);
        const code = r.one("aws:s3/bucketObjectv2:BucketObjectv2", "canary-code").inputs.key as string;
        const reports = r.one("aws:arcregionswitch/plan:Plan").inputs.reportConfigurations[0].reportOutputs[0].s3Configurations[0].bucketPath;
        for (const kept of [code, String(reports).split("/").slice(1).join("/") + "/x.json"]) {
            assert.equal(expiring.some((prefix) => kept.startsWith(prefix!)), false, `${kept} must not expire`);
        }
        assert.ok(rules.every((x) => x.noncurrentVersionExpiration.noncurrentDays === 30), "replaced versions go with the logs");
        assert.equal(r.one("aws:s3/bucketVersioning:BucketVersioning", "-logs-").inputs.versioningConfiguration.status, "Enabled");
    });

    it("the default keeps logs 90 days", async () => {
        assert.equal((await stackRun("dr")).one(LIFECYCLE, "-logs-").inputs.rules[0].expiration.days, 90);
    });
});

describe("Aurora and Valkey: TLS enforced, IAM sign-in, logs exported, AUTH", () => {
    const CLUSTER = "aws:rds/cluster:Cluster";
    const PARAMETERS = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
    const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
    const SSM = "aws:ssm/parameter:Parameter";
    const cases = STRATEGIES.flatMap((strategy) => (["prod", "dr"] as const).flatMap((stack) =>
        [{ strategy, stack, failover: false }, ...(stack === "dr" ? [{ strategy, stack, failover: true }] : [])]));

    for (const { strategy, stack, failover } of cases) {
        const overrides: Record<string, string> = { "dr:strategy": strategy, ...(failover ? { "dr:failover": "true" } : {}) };
        if (failover && strategy === "backup-restore") {
            overrides["dr:restoreFrom"] = `arn:aws:rds:us-west-2:${ACCOUNT}:cluster-snapshot:awsbackup:job-1`;
        }
        it(`${strategy}, ${stack}${failover ? " failed over" : ""}: each cluster of the region has its own TLS-only parameter group, IAM auth and log exports; each cache an AUTH token`, async () => {
            const r = await stackRun(stack, overrides);
            const clusters = r.ofType(CLUSTER);
            const groups = r.ofType(PARAMETERS);
            assert.equal(groups.length, clusters.length);
            for (const cluster of clusters) {
                const group = groups[0].inputs;
                assert.equal(cluster.inputs.dbClusterParameterGroupName, group.name);
                assert.equal(group.name, `shop-${stack === "prod" ? "use1" : "usw2"}-aurora-tls`);
                assert.ok(group.parameters.some((p: any) => p.name === "rds.force_ssl" && p.value === "1"));
                // The audit trail (issue 17, item 1.4): DDL and slow statements, in the exported PostgreSQL log.
                assert.ok(group.parameters.some((p: any) => p.name === "log_statement" && p.value === "ddl"));
                assert.ok(group.parameters.some((p: any) => p.name === "log_min_duration_statement" && Number(p.value) > 0));
                assert.equal(cluster.inputs.iamDatabaseAuthenticationEnabled, true);
                assert.deepEqual(cluster.inputs.enabledCloudwatchLogsExports, ["postgresql"]);
            }
            for (const cache of r.ofType(CACHE)) {
                assert.equal(cache.inputs.transitEncryptionEnabled, true, "AUTH needs TLS");
                assert.equal(typeof cache.inputs.authToken, "object", "a secret, never a literal");
                const parameter = r.one(SSM, "-auth-token-parameter").inputs;
                assert.deepEqual([parameter.name, parameter.type, parameter.keyId], [`/shop-${stack === "prod" ? "use1" : "usw2"}/cache/auth-token`, "SecureString", keyArnOf(r)]);
            }
        });
    }

    it("which stacks have a database and a cache at all: not every case above is vacuous", async () => {
        const counts = async (stack: "prod" | "dr", strategy: string) => {
            const r = await stackRun(stack, { "dr:strategy": strategy });
            return [r.ofType(CLUSTER).length, r.ofType(CACHE).length];
        };
        assert.deepEqual(await counts("dr", "pilot-light"), [1, 0]);
        assert.deepEqual(await counts("dr", "warm-standby"), [1, 1]);
        assert.deepEqual(await counts("prod", "backup-restore"), [1, 1]);
    });
});

describe("the app's identity: an instance role that reads its region's token and signs in to Aurora", () => {
    it("its policy names the region's parameters, the key through SSM, and the app's database user; nothing computed", () => {
        const policy = appInstancePolicy({ accountId: ACCOUNT, region: "us-west-2", prefix: "shop-usw2", kmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/k" });
        assert.deepEqual(policy.Statement.map((s) => s.Resource), [
            "arn:aws:ssm:us-west-2:123456789012:parameter/shop-usw2/*",
            "arn:aws:kms:us-west-2:123456789012:key/k",
            `arn:aws:rds-db:us-west-2:123456789012:dbuser:*/${APP_DB_USER}`,
        ]);
        assert.deepEqual(policy.Statement[1].Condition, { StringEquals: { "kms:ViaService": "ssm.us-west-2.amazonaws.com" } });
    });

    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: the launch template's instance profile is the region's app role, with that policy`, async () => {
                const r = await stackRun(stack, { "dr:strategy": strategy });
                const code = stack === "prod" ? "use1" : "usw2";
                const profile = r.one("aws:iam/instanceProfile:InstanceProfile").inputs;
                assert.deepEqual([profile.name, profile.role], [`shop-${code}-app`, `shop-${code}-app`]);
                assert.deepEqual(r.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.iamInstanceProfile, { name: `shop-${code}-app` });
                const trust = JSON.parse(r.ofType("aws:iam/role:Role").find((x) => x.inputs.name === `shop-${code}-app`)!.inputs.assumeRolePolicy);
                assert.deepEqual(trust.Statement[0].Principal, { Service: "ec2.amazonaws.com" });
                assert.deepEqual(JSON.parse(r.one(ROLE_POLICY, "-app-role-").inputs.policy),
                    appInstancePolicy({ accountId: ACCOUNT, region: regionOf(stack), prefix: `shop-${code}`, kmsKeyArn: keyArnOf(r) }));
            });
        }
    }
});

describe("the VPC's default security group (issue 17, item 1.6)", () => {
    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: managed, with no ingress and no egress rule`, async () => {
                const r = await stackRun(stack, { "dr:strategy": strategy });
                const sg = r.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs;
                assert.equal(sg.vpcId, r.one("awsx:ec2:Vpc").state!.vpcId);
                assert.deepEqual([sg.ingress, sg.egress], [undefined, undefined], "no rule: the provider removes AWS's default ones");
            });
        }
    }
});

describe("egress: each group reaches only what it must (issue 17, item 1.2)", () => {
    const GROUP = "aws:ec2/securityGroup:SecurityGroup";
    const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            for (const failover of stack === "dr" ? [false, true] : [false]) {
                it(`${strategy}, ${stack}${failover ? " failed over" : ""}: no group declares egress inline; the ALB reaches the app's group on the app port, the app 443 and each data group on its port`, async () => {
                    const r = await stackRun(stack, {
                        "dr:strategy": strategy,
                        ...(failover ? { "dr:failover": "true" } : {}),
                        ...(failover && strategy === "backup-restore" ? { "dr:restoreFrom": `arn:aws:rds:us-west-2:${ACCOUNT}:cluster-snapshot:awsbackup:job-1` } : {}),
                    });
                    const groups = r.ofType(GROUP);
                    const idOf = (suffix: string) => groups.find((g) => g.name.endsWith(suffix))?.id;
                    for (const g of groups.filter((x) => !x.name.includes("restore-tests"))) {
                        assert.equal(g.inputs.egress, undefined, `${g.name}: no inline egress (the provider then removes AWS's allow-all)`);
                    }
                    const rules = r.ofType(EGRESS).map((e) => e.inputs);
                    for (const rule of rules) {
                        assert.notEqual(rule.ipProtocol, "-1", "no rule for every protocol");
                        assert.equal(rule.fromPort, rule.toPort, "one port per rule");
                        assert.ok(typeof rule.description === "string" && rule.description.length > 5);
                        if (rule.cidrIpv4 !== undefined) {
                            assert.equal(rule.fromPort, 443, "only HTTPS leaves the VPC");
                        }
                    }
                    const reach = (from: string | undefined) => rules.filter((e) => e.securityGroupId === from)
                        .map((e) => `${e.fromPort}->${e.referencedSecurityGroupId ? groups.find((g) => g.id === e.referencedSecurityGroupId)!.name.replace(/^.*?-(app|db|cache)-/, "$1-") : e.cidrIpv4}`).sort();
                    const app = idOf("-app-app-sg");
                    if (app === undefined) {
                        assert.equal(rules.length, 0, "no app tier, no egress rule");
                        return;
                    }
                    assert.deepEqual(reach(idOf("-app-alb-sg")), ["80->app-app-sg"]);
                    const data = [...(idOf("-db-sg") ? ["5432->db-sg"] : []), ...(idOf("-cache-sg") ? ["6379->cache-sg"] : [])];
                    assert.deepEqual(reach(app), ["443->0.0.0.0/0", ...data].sort());
                });
            }
        }
    }
});

describe("rules that say why, and instances that carry the stack's tags (issue 17, item 1.9)", () => {
    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: every security group rule has a description; the group tags its instances at launch`, async () => {
                const r = await stackRun(stack, { "dr:strategy": strategy });
                for (const sg of r.ofType("aws:ec2/securityGroup:SecurityGroup")) {
                    for (const rule of [...(sg.inputs.ingress ?? []), ...(sg.inputs.egress ?? [])]) {
                        assert.ok(typeof rule.description === "string" && rule.description.length > 5, `${sg.name}: ${JSON.stringify(rule)}`);
                    }
                }
                const tags = r.one("aws:autoscaling/group:Group").inputs.tags as { key: string; value: string; propagateAtLaunch: boolean }[];
                assert.ok(tags.every((t) => t.propagateAtLaunch));
                assert.deepEqual(Object.fromEntries(tags.map((t) => [t.key, t.value])), {
                    "dr:app": "shop", "dr:tier": strategy, "dr:role": stack === "prod" ? "primary" : "secondary", "managed-by": "pulumi",
                    Name: stack === "prod" ? "shop-use1-app" : "shop-usw2-app",
                });
            });
        }
    }
});

describe("the log groups of the program's functions and canaries: created by the program, encrypted, expiring (issue 17, item 1.7)", () => {
    const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
    const FUNCTION = "aws:lambda/function:Function";
    const CANARY = "aws:synthetics/canary:Canary";
    // Every lever that adds a function or a canary: Region switch's custom actions, the detector, restore tests.
    const everything = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander", "dr:autoFailover": "approve", "dr:approvalSeconds": "300" };
    const cases = STRATEGIES.flatMap((strategy) => (["prod", "dr"] as const).map((stack) => ({ strategy, stack })));
    for (const { strategy, stack } of cases) {
        it(`${strategy}, ${stack}: each function and canary writes to a log group the program made, with the region's key and dr:logRetentionDays rounded up`, async () => {
            // Active-active's objectives leave no time for an approval: it is detected and started alone (auto).
            const levers = strategy === "active-active" ? { ...everything, "dr:autoFailover": "auto", "dr:approvalSeconds": "" } : everything;
            const r = await stackRun(stack, { "dr:strategy": strategy, "dr:logRetentionDays": "45", ...(stack === "dr" ? levers : {}) });
            const groups = new Map(r.ofType(LOG_GROUP).map((g) => [g.inputs.name, g.inputs]));
            const expected = [
                ...r.ofType(FUNCTION).map((f) => `/aws/lambda/${f.inputs.name}`),
                ...r.ofType(CANARY).map((c) => `/aws/lambda/${functionNameOfArn(c.state!.engineArn)}`),
            ];
            assert.ok(expected.length > 0, "every stack runs a canary or a function");
            for (const name of expected) {
                const group = groups.get(name);
                assert.ok(group, `${name} is managed (have: ${[...groups.keys()].join(", ")})`);
                assert.equal(group.kmsKeyId, keyArnOf(r), `${name}: the region's key`);
                assert.equal(group.retentionInDays, 60, `${name}: 45 days, rounded up to a period CloudWatch Logs accepts`);
            }
        });
    }

    it("the restore check keeps its verdicts 60 days at least, longer where dr:logRetentionDays says", async () => {
        const r = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:logRetentionDays": "365" });
        assert.equal(r.one(LOG_GROUP, "-check-logs").inputs.retentionInDays, 365);
        const short = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:logRetentionDays": "7" });
        assert.equal(short.one(LOG_GROUP, "-check-logs").inputs.retentionInDays, 60);
        assert.ok(short.ofType(LOG_GROUP).some((g) => g.inputs.name.startsWith("/aws/lambda/cwsyn-") && g.inputs.retentionInDays === 7));
    });
});

describe("model/logGroups: retention periods CloudWatch Logs accepts, and the function behind an ARN", () => {
    it("rounds dr:logRetentionDays up to the next period CloudWatch Logs accepts, never down", () => {
        assert.deepEqual([1, 2, 45, 90, 91, 366, 3650].map(logGroupRetentionDays), [1, 3, 60, 90, 120, 400, 3653]);
        for (let days = 1; days <= 3653; days++) {
            const kept = logGroupRetentionDays(days);
            assert.ok(kept >= days && (LOG_GROUP_RETENTION_DAYS as readonly number[]).includes(kept));
        }
        assert.throws(() => logGroupRetentionDays(4000), /3653 days at most/);
    });

    it("reads the function name from a function ARN, with or without its version", () => {
        assert.equal(functionNameOfArn("arn:aws:lambda:us-west-2:123456789012:function:cwsyn-shop-usw2-health-0123abcd:7"), "cwsyn-shop-usw2-health-0123abcd");
        assert.equal(functionNameOfArn("arn:aws:lambda:us-west-2:123456789012:function:shop-usw2-restore-check"), "shop-usw2-restore-check");
        assert.throws(() => functionNameOfArn("arn:aws:s3:::bucket"), /not a Lambda function ARN/);
    });
});
