// One moto_server for the whole mocha run (a root-hook plugin, .mocharc.json): started as the suite loads,
// so that it boots and loads its services on the second core while the first runs the unit tests, and
// stopped by its PID after the last test. The files that need it await `sharedEmulator()`; where
// moto_server is missing, that rejects with the install command and their before() hooks fail, loudly
// (CI must not skip them).
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { Moto, startEmulator } from "../offline/moto";
import { awsClients, route53Client } from "../runbook/aws";
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeParametersCommand } from "@aws-sdk/client-ssm";
import { DescribeReplicationGroupsCommand } from "@aws-sdk/client-elasticache";
import { DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeDBClustersCommand } from "@aws-sdk/client-rds";
import { ListHostedZonesCommand } from "@aws-sdk/client-route-53";

/** One read per service the tests use, in both regions: moto imports a service's code on its first request. */
async function warm(moto: Moto): Promise<void> {
    await Promise.all(["us-east-1", "us-west-2"].map(async (region) => {
        const c = awsClients(region, { endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS });
        await Promise.all([
            c.sts.send(new GetCallerIdentityCommand({})),
            c.autoscaling.send(new DescribeAutoScalingGroupsCommand({})),
            c.elbv2.send(new DescribeLoadBalancersCommand({})),
            c.rds.send(new DescribeDBClustersCommand({})),
            c.elasticache.send(new DescribeReplicationGroupsCommand({})),
            c.cloudwatch.send(new ListMetricsCommand({})),
            c.ssm.send(new DescribeParametersCommand({})),
            route53Client({ endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS }).send(new ListHostedZonesCommand({})),
            fetch(`${moto.endpoint}/moto-api/reset`, { method: "POST" }).then((r) => r.arrayBuffer()),
        ]);
    }));
}

let started: Promise<Moto> | undefined;

/** The run's emulator, started on first call (the plugin calls it at load); reset it before seeding. */
export function sharedEmulator(): Promise<Moto> {
    started ??= startEmulator().then(async (moto) => {
        await warm(moto);
        return moto;
    });
    return started;
}

/** Mocha's parallel mode runs files in worker processes, which load this plugin and run its hooks per file. */
const worker = process.env.MOCHA_WORKER_ID !== undefined;

export const mochaHooks = {
    beforeAll(): void {
        // Started now, in the background, not awaited; a failure surfaces in the tests that await it, not as
        // an unhandled rejection. (Not at load: mocha's parallel mode loads this plugin in its main process too.)
        if (!worker) {
            sharedEmulator().catch(() => undefined);
        }
    },
    async afterAll(): Promise<void> {
        // A worker's root hooks run after each of its files: its emulator serves them all, and the harness
        // kills it by its PID when the worker exits (offline/moto.ts).
        if (!worker) {
            const moto = await started?.catch(() => undefined);
            await moto?.stop();
        }
    },
};
