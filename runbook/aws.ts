// AWS SDK v3 clients. `endpoint` points them at a local emulator (the drill, the tests).
//
// The failover works on the dr region's own regional endpoints only (docs/reference.md, "Control planes and
// data planes"), so a region's clients are regional ones; Route 53's API, a control plane in us-east-1, has a
// client of its own that only failback creates.
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import { retryMiddlewareOptions } from "@smithy/core/retry";

/** The packages the runbook loads to do its work: the SDK clients below and the task list (npm run bench compares). */
export const RUNBOOK_PACKAGES = [
    "@aws-sdk/client-auto-scaling", "@aws-sdk/client-cloudwatch", "@aws-sdk/client-elasticache",
    "@aws-sdk/client-elastic-load-balancing-v2", "@aws-sdk/client-rds", "@aws-sdk/client-route-53", "@aws-sdk/client-ssm",
    "@aws-sdk/client-sts", "listr2",
    // The Region switch engine's signed client (runbook/regionSwitch.ts): no SDK client exists for it.
    "@smithy/signature-v4", "@smithy/core/checksum", "@aws-sdk/credential-provider-node",
] as const;

/** A connection that does not open in this time counts as a region that does not answer. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** An answer that does not come in this time, likewise: a half-dead region must not hang a failover. */
export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * A failing region fails fast: two attempts, then the step reports it. Reads and changes that may be made
 * twice; a change that must not be made twice is sent once (`once`, below).
 */
export const MAX_ATTEMPTS = 2;

/** One region's regional clients: what the failover needs, and nothing hosted in another region. */
export interface AwsClients {
    readonly region: string;
    readonly sts: STSClient;
    readonly autoscaling: AutoScalingClient;
    readonly elbv2: ElasticLoadBalancingV2Client;
    readonly rds: RDSClient;
    readonly elasticache: ElastiCacheClient;
    readonly cloudwatch: CloudWatchClient;
    readonly ssm: SSMClient;
}

export interface AwsTarget {
    /** e.g. http://127.0.0.1:5000 for moto; undefined for AWS itself. */
    readonly endpoint?: string;
    /** Static credentials for an emulator; undefined: the SDK's default chain. */
    readonly credentials?: { accessKeyId: string; secretAccessKey: string };
    /** Shorter timeouts for tests of a region that does not answer; default CONNECT_TIMEOUT_MS and REQUEST_TIMEOUT_MS. */
    readonly timeouts?: { readonly connectMs: number; readonly requestMs: number };
}

/**
 * A call that failed, named: the region, the service and the operation, then what went wrong. A network
 * failure (nothing answered, the connection was refused or cut) says the region does not answer, rather
 * than the socket's own words. The original error's name stays, so "not found" faults are still told apart.
 */
export class AwsCallError extends Error {
    /** True when nothing answered: a timeout, a refused or a cut connection. */
    public readonly unreachable: boolean;
    /** The HTTP status AWS answered with; undefined when nothing answered. */
    public readonly status: number | undefined;
    /** The network error's code (ECONNREFUSED, ETIMEDOUT...), if any. */
    public readonly code: string | undefined;

    constructor(public readonly region: string, public readonly service: string, public readonly operation: string, public readonly cause: unknown) {
        const err = cause as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
        const unreachable = err.$metadata?.httpStatusCode === undefined
            && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up|TimeoutError|timed? ?out|ENOTFOUND|EAI_AGAIN/i.test(`${err.name} ${err.code} ${err.message}`);
        super(unreachable
            ? `${region} ${service} ${operation}: no answer (${err.code ?? err.name ?? "network error"}: ${err.message}); the region or its ${service} endpoint does not answer`
            : `${region} ${service} ${operation}: ${err.name ?? "error"}: ${err.message}`);
        this.name = err.name ?? "AwsCallError";
        this.unreachable = unreachable;
        this.status = err.$metadata?.httpStatusCode;
        this.code = err.code;
    }
}

/**
 * Whether a failed change may have been made all the same: its answer did not come (a timeout, a connection
 * cut after the request went out) or AWS failed on its side (5xx). A refused connection sent nothing; an error
 * AWS answered with (4xx) refused the change.
 */
export function outcomeUnknown(err: unknown): boolean {
    if (!(err instanceof AwsCallError)) {
        return false;
    }
    return err.status === undefined ? err.unreachable && err.code !== "ECONNREFUSED" : err.status >= 500;
}

/**
 * The call's answer, or undefined where AWS answers that there is no such thing (the fault it names
 * `notFound`, e.g. DBClusterNotFoundFault): a missing resource is a state the steps read, not a failure.
 * AwsCallError keeps the fault's name, so this tells it apart from a region that does not answer.
 */
export async function unlessNotFound<T>(notFound: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
        return await call();
    } catch (err) {
        if ((err as { name?: string }).name === notFound) {
            return undefined;
        }
        throw err;
    }
}

/**
 * The command, to be sent once: without the SDK's second attempt. A change whose answer does not come in time
 * may be under way (a slow SwitchoverGlobalCluster starts the switchover, then its answer times out); sent
 * again, it would start a second one or fail on the first one's effect, and the step would report "no
 * answer" for a change that was made. The caller reads the state back instead (operations.ts, changeOnce).
 * The command's own middleware of the retry middleware's name, step and priority replaces the client's for
 * this command alone (tests/runbookFaults.test.ts counts the requests that reach a slow endpoint).
 */
export function once<C extends { middlewareStack: { add(middleware: unknown, options: typeof retryMiddlewareOptions): void } }>(command: C): C {
    command.middlewareStack.add((next: unknown) => next, retryMiddlewareOptions);
    return command;
}

/** Every call of the client names its region, service and operation when it fails. */
function named<C extends { middlewareStack: { add: (...args: any[]) => void } }>(client: C, region: string, service: string): C {
    client.middlewareStack.add((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        try {
            return await next(args);
        } catch (err) {
            throw err instanceof AwsCallError ? err : new AwsCallError(region, service, (context.commandName ?? "call").replace(/Command$/, ""), err);
        }
    }, { step: "initialize", name: "nameTheFailedCall" });
    return client;
}

/** Every client's config: the region, the emulator if any, two attempts, and a timeout on every request. */
export function clientConfig(region: string, target: AwsTarget) {
    return {
        region,
        endpoint: target.endpoint,
        credentials: target.credentials,
        maxAttempts: MAX_ATTEMPTS,
        requestHandler: {
            connectionTimeout: target.timeouts?.connectMs ?? CONNECT_TIMEOUT_MS,
            requestTimeout: target.timeouts?.requestMs ?? REQUEST_TIMEOUT_MS,
            // Without it, smithy's handler only logs a warning when the request timeout passes, and waits on.
            throwOnRequestTimeout: true,
        },
    };
}

export function awsClients(region: string, target: AwsTarget = {}): AwsClients {
    const config = clientConfig(region, target);
    return {
        region,
        sts: named(new STSClient(config), region, "sts"),
        autoscaling: named(new AutoScalingClient(config), region, "autoscaling"),
        elbv2: named(new ElasticLoadBalancingV2Client(config), region, "elasticloadbalancing"),
        rds: named(new RDSClient(config), region, "rds"),
        elasticache: named(new ElastiCacheClient(config), region, "elasticache"),
        cloudwatch: named(new CloudWatchClient(config), region, "monitoring"),
        ssm: named(new SSMClient(config), region, "ssm"),
    };
}

/**
 * Route 53's API: its control plane lives in us-east-1 whichever region is lost. Failback uses it (it runs
 * when nothing is down); the failover never does.
 */
export function route53Client(target: AwsTarget = {}): Route53Client {
    return named(new Route53Client(clientConfig("us-east-1", target)), "us-east-1", "route53");
}
