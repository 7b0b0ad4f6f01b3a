// The SDK clients under faults: a region that accepts connections and never answers, one that refuses them,
// and the names a failed call carries (region, service, operation). All on loopback.
import { strict as assert } from "assert";
import * as net from "net";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { AwsCallError, CONNECT_TIMEOUT_MS, MAX_ATTEMPTS, REQUEST_TIMEOUT_MS, awsClients, clientConfig } from "../runbook/aws";
import { reachable } from "../runbook/operations";
import { freeLoopbackPort } from "../offline/moto";

/** A server that accepts every connection and never answers: a half-dead region. */
async function silentServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
    const sockets = new Set<net.Socket>();
    let connections = 0;
    const server = net.createServer((socket) => { connections++; sockets.add(socket); socket.on("error", () => undefined); });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        connections: () => connections,
        close: () => new Promise((resolve) => { sockets.forEach((s) => s.destroy()); server.close(() => resolve()); }),
    };
}

describe("AWS clients under faults (runbook/aws.ts)", function () {
    this.timeout(10_000);

    it("every client has a connection and a request timeout and two attempts: a half-dead region cannot hang a step", () => {
        const config = clientConfig("us-west-2", {});
        assert.deepEqual(config.requestHandler, { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true });
        assert.deepEqual([CONNECT_TIMEOUT_MS, REQUEST_TIMEOUT_MS, MAX_ATTEMPTS], [3000, 10_000, 2]);
    });

    it("a region that accepts connections and never answers is reported unreachable in seconds, naming region, service and operation", async () => {
        const silent = await silentServer();
        try {
            const clients = awsClients("us-east-1", { endpoint: silent.url, credentials: EMULATOR_CREDENTIALS, timeouts: { connectMs: 300, requestMs: 300 } });
            const started = Date.now();
            const answer = await reachable(clients);
            const took = Date.now() - started;
            assert.ok("unreachable" in answer, JSON.stringify(answer));
            assert.match(answer.unreachable, /^us-east-1 sts GetCallerIdentity: no answer \(.+\); the region or its sts endpoint does not answer$/);
            assert.ok(took < 3000, `took ${took} ms`);
            assert.equal(silent.connections(), MAX_ATTEMPTS, "one connection per attempt, then it gives up");
        } finally {
            await silent.close();
        }
    });

    it("a refused connection is named too, not \"socket hang up\" or a bare ECONNREFUSED", async () => {
        const clients = awsClients("us-west-2", { endpoint: `http://127.0.0.1:${await freeLoopbackPort()}`, credentials: EMULATOR_CREDENTIALS });
        const err = await clients.cloudwatch.send(new (await import("@aws-sdk/client-cloudwatch")).DescribeAlarmsCommand({})).then(() => undefined, (e) => e);
        assert.ok(err instanceof AwsCallError, String(err));
        assert.equal(err.unreachable, true);
        assert.deepEqual([err.region, err.service, err.operation], ["us-west-2", "monitoring", "DescribeAlarms"]);
        assert.match(err.message, /^us-west-2 monitoring DescribeAlarms: no answer \(ECONNREFUSED/);
    });

    it("an error AWS answers with keeps its name (so \"not found\" is still told apart) and gains the region, service and operation", () => {
        const notFound = Object.assign(new Error("DBCluster shop-usw2-aurora not found."), { name: "DBClusterNotFoundFault", $metadata: { httpStatusCode: 404 } });
        const err = new AwsCallError("us-west-2", "rds", "DescribeDBClusters", notFound);
        assert.deepEqual([err.name, err.unreachable, err.message],
            ["DBClusterNotFoundFault", false, "us-west-2 rds DescribeDBClusters: DBClusterNotFoundFault: DBCluster shop-usw2-aurora not found."]);
    });
});
