// The local AWS emulator: a `moto_server` (Python moto 5.x) on loopback, for the drill and the runbook's
// integration tests.
//
//     const moto = await startMoto();                       // once, in a before() hook
//     const rds = new RDSClient(awsClientConfig(moto.endpoint, "us-west-2"));
//     await resetMoto(moto.endpoint);                       // between independent groups of tests
//     await moto.stop();                                    // in the after() hook
//
// moto is an emulator, not AWS: it never fails a health check, does not replicate data, answers some calls
// with 200 without changing anything, and has no Aurora global switchover/failover (HTTP 500). Verify every
// change with a describe call; tests/moto.test.ts pins what moto does and does not do.
//
// Everything here talks to 127.0.0.1 only.
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

export const MOTO_HOST = "127.0.0.1";
/** The account id moto answers with (STS GetCallerIdentity, every ARN it makes). */
export const MOTO_ACCOUNT_ID = "123456789012";

const READY_TIMEOUT_MS = 20_000;
const POLL_MS = 100;
const STOP_TIMEOUT_MS = 5_000;

export const MOTO_MISSING_MESSAGE =
    'moto_server is not installed: the drill and the runbook\'s integration tests need it. Install it with: pip install "moto[server]"';

const AURORA_NOT_EMULATED = "moto answers SwitchoverGlobalCluster/FailoverGlobalCluster with HTTP 500";
/**
 * Runbook steps moto cannot perform, with the reason: the drill records them as simulated (tests/moto.test.ts
 * pins the 500s). A key `<step id>:<part>` is a part of a step, which the step itself skips and notes.
 *
 * The dr canary: moto runs no canary. Where the canary runs in standby (warm standby, active-active), its
 * alarm is the dr stack's and the seed sets it OK, naming itself as the reason (offline/seed.ts): the smoke
 * check really reads it, in the dr region and through the outage drill's proxy, and the report shows whose
 * OK it was. Where the failover deploy starts the canary (pilot light, backup & restore), the alarm would come
 * from a `pulumi up` the drill does not run: seeding it would show a canary the standby does not have, so that
 * wait is simulated, named here, and the smoke check's GET still runs.
 */
export const EMULATOR_GAPS: ReadonlyMap<string, string> = new Map([
    ["promote-database", AURORA_NOT_EMULATED],
    ["switch-database-back", AURORA_NOT_EMULATED],
    ["warm-cache", "moto answers ModifyReplicationGroup with HTTP 500"],
    // runbook/failover.ts DEPLOYED_CANARY_WAIT (tests/runbook.moto.test.ts holds the two to one key).
    ["smoke-check:deployed-canary", "the failover deploy (pulumi up) that starts the dr canary does not run in the drill, " +
        "and moto runs no canary: its alarm never appears there"],
]);

export interface Moto {
    /** `http://127.0.0.1:<port>`: give it to every SDK client as `endpoint` (see awsClientConfig). */
    readonly endpoint: string;
    readonly port: number;
    /** What moto_server wrote on stderr so far (its request log and the tracebacks behind its HTTP 500s), bounded. */
    stderr(): string;
    /** Kills the server by its PID and resolves once it has exited. Safe to call twice. */
    stop(): Promise<void>;
}

/** SDK v3 client config for a moto endpoint: fixed fake credentials, so no real profile or token is ever read. */
export function awsClientConfig(endpoint: string, region: string) {
    return {
        region,
        endpoint,
        credentials: EMULATOR_CREDENTIALS,
    };
}

/** Forgets every resource moto holds, in all regions and services. */
export async function resetMoto(endpoint: string): Promise<void> {
    const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    if (!res.ok) {
        throw new Error(`moto reset failed: HTTP ${res.status} ${await res.text()}`);
    }
}

/** The path of `moto_server` on PATH, or undefined. */
export function findMotoServer(): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, "moto_server");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
}

/** A port that was free on 127.0.0.1 a moment ago (bound to port 0, read, closed). */
export function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.once("error", reject);
        server.listen(0, MOTO_HOST, () => {
            const address = server.address();
            if (address === null || typeof address === "string") {
                server.close();
                reject(new Error(`could not read the port of a loopback listener: ${String(address)}`));
                return;
            }
            server.close(() => resolve(address.port));
        });
    });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Servers still running, killed if the test process exits without stop(). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function killLeftoversOnExit(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on("exit", () => {
        for (const child of running) {
            try {
                child.kill("SIGKILL");
            } catch {
                // already gone
            }
        }
    });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve(true);
        });
    });
}

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>` and resolves once `GET /moto-api/` answers.
 * Throws (never skips) when moto_server is missing, exits early, or is not up within 20 s.
 */
export async function startMoto(): Promise<Moto> {
    const executable = findMotoServer();
    if (executable === undefined) {
        throw new Error(MOTO_MISSING_MESSAGE);
    }
    const port = await freeLoopbackPort();
    const endpoint = `http://${MOTO_HOST}:${port}`;

    let stderr = "";
    let spawnError: Error | undefined;
    const child = spawn(executable, ["-H", MOTO_HOST, "-p", String(port)], {
        detached: false,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, PYTHONUNBUFFERED: "1" },
    });
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
        // moto logs one line per request on stderr: keep the head (start-up errors) and a bounded tail.
        stderr = stderr.length < 64_000 ? stderr + chunk : stderr.slice(0, 32_000) + "\n...\n" + (stderr.slice(-16_000) + chunk).slice(-16_000);
    });
    child.once("error", (error) => {
        spawnError = error;
    });
    running.add(child);
    killLeftoversOnExit();

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
        stopped ??= (async () => {
            // SIGKILL, by its PID: moto keeps its state in memory only, so there is nothing to shut down
            // gracefully, and its SIGTERM handler takes up to a second to join the server's threads.
            if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
                child.kill("SIGKILL");
                await waitForExit(child, STOP_TIMEOUT_MS);
            }
            running.delete(child);
        })();
        return stopped;
    };

    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
        if (spawnError !== undefined) {
            await stop();
            const code = (spawnError as NodeJS.ErrnoException).code;
            throw new Error(code === "ENOENT" ? MOTO_MISSING_MESSAGE : `could not start ${executable}: ${spawnError.message}`);
        }
        if (child.exitCode !== null || child.signalCode !== null) {
            running.delete(child);
            throw new Error(
                `moto_server exited (${child.exitCode ?? child.signalCode}) before it answered on ${endpoint}. ` +
                    `If it is not installed: ${MOTO_MISSING_MESSAGE}\nmoto_server stderr:\n${stderr}`,
            );
        }
        try {
            const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
            await res.arrayBuffer();
            if (res.ok) break;
        } catch {
            // not listening yet
        }
        if (Date.now() >= deadline) {
            await stop();
            throw new Error(`moto_server did not answer GET ${endpoint}/moto-api/ within ${READY_TIMEOUT_MS / 1000} s.\nmoto_server stderr:\n${stderr}`);
        }
        await sleep(POLL_MS);
    }

    return { endpoint, port, stderr: () => stderr, stop };
}

/**
 * Starts moto_server without EC2's default AMI catalogue: moto loads it for every region it
 * touches, again after every reset (0.4 s a reset here), and nothing the runbook reads involves an AMI; the
 * launch template names one anyway. Throws MOTO_MISSING_MESSAGE when moto_server is not installed.
 */
export async function startEmulator(): Promise<Moto> {
    const saved = process.env.MOTO_EC2_LOAD_DEFAULT_AMIS;
    process.env.MOTO_EC2_LOAD_DEFAULT_AMIS = "false";
    try {
        return await startMoto();
    } finally {
        if (saved === undefined) delete process.env.MOTO_EC2_LOAD_DEFAULT_AMIS;
        else process.env.MOTO_EC2_LOAD_DEFAULT_AMIS = saved;
    }
}

/**
 * Calls an AWS "query" API (EC2 and friends: form-encoded POST, XML answer) on moto, for services whose SDK
 * client the project does not install. moto routes a request by the service named in the Authorization
 * header's credential scope and does not check the signature, so the header is a placeholder.
 * Returns the XML body; throws with it on a non-2xx answer.
 */
export async function motoQuery(
    endpoint: string,
    service: string,
    region: string,
    version: string,
    action: string,
    params: Record<string, string | number | boolean> = {},
): Promise<string> {
    const body = new URLSearchParams({ Action: action, Version: version });
    for (const [key, value] of Object.entries(params)) body.set(key, String(value));
    const res = await fetch(`${endpoint}/`, {
        method: "POST",
        headers: {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            Authorization: placeholderAuthorization(service, region),
        },
        body: body.toString(),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${service} ${action}: HTTP ${res.status}: ${text}`);
    return text;
}

/**
 * Calls an AWS REST/JSON API (AWS Backup and friends) on moto, like motoQuery.
 * Returns the parsed JSON answer (or {} for an empty body); throws with the body on a non-2xx answer.
 */
export async function motoRestJson(
    endpoint: string,
    service: string,
    region: string,
    method: string,
    pathAndQuery: string,
    payload?: unknown,
): Promise<any> {
    const res = await fetch(`${endpoint}${pathAndQuery}`, {
        method,
        headers: {
            "Content-Type": "application/json",
            Authorization: placeholderAuthorization(service, region),
        },
        body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${service} ${method} ${pathAndQuery}: HTTP ${res.status}: ${text}`);
    return text ? JSON.parse(text) : {};
}

/**
 * Calls an AWS JSON API (X-Amz-Target, JSON 1.1: ACM and friends) on moto, like motoQuery.
 * Returns the parsed JSON answer; throws with the body on a non-2xx answer.
 */
export async function motoJson(endpoint: string, service: string, region: string, target: string, payload: unknown): Promise<any> {
    const res = await fetch(`${endpoint}/`, {
        method: "POST",
        headers: {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": target,
            Authorization: placeholderAuthorization(service, region),
        },
        body: JSON.stringify(payload),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${service} ${target}: HTTP ${res.status}: ${text}`);
    return text ? JSON.parse(text) : {};
}

function placeholderAuthorization(service: string, region: string): string {
    return `AWS4-HMAC-SHA256 Credential=testing/20240101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

/** The text of every `<tag>...</tag>` in an XML answer, in order (enough for the few EC2 ids the tests need). */
export function xmlValues(xml: string, tag: string): string[] {
    const out: string[] = [];
    const re = new RegExp(`<${tag}>([^<]*)</${tag}>`, "g");
    for (let m = re.exec(xml); m !== null; m = re.exec(xml)) out.push(m[1]);
    return out;
}
