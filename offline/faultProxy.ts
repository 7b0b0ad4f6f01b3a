// A fault-injecting proxy on loopback, in front of the emulator: it refuses the requests a rule names and
// forwards the others. Every AWS request says where it goes in its SigV4 credential scope
// (`Credential=<key>/<date>/<region>/<service>/aws4_request`), so "the primary region is lost" and "Route 53's
// and IAM's control planes are down" are rules on (region, service). A refused request has its connection
// reset, as a lost region's would be, or (mode "hang") is accepted and never answered. For the outage drill
// (npm run drill -- --outage) and the tests; it listens on 127.0.0.1 and forwards only to loopback.
import * as http from "http";
import * as net from "net";

export interface CredentialScope {
    readonly region: string;
    readonly service: string;
}

/** The region and service a SigV4-signed request is for; undefined when it is not signed (the emulator's own API). */
export function credentialScope(authorization: string | undefined): CredentialScope | undefined {
    const match = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/.exec(authorization ?? "");
    return match ? { region: match[1], service: match[2] } : undefined;
}

/**
 * Returns why a request is refused, or undefined to forward it. It is told each signed request as it comes,
 * its operation too, so a rule may also change with what it has seen (a test's "the region's SSM fails from
 * the moment the fence closes").
 */
export type FaultRule = (request: ProxiedRequest) => string | undefined;

/** Control planes hosted in us-east-1 whose APIs the recovery path must not call (README, "The recovery path"). */
export const GLOBAL_CONTROL_PLANE_SERVICES: ReadonlySet<string> = new Set(["route53", "iam"]);

/** The outage: every request for the lost region, and every request to Route 53's or IAM's API. */
export function outageRule(lostRegion: string): (scope: CredentialScope) => string | undefined {
    return (scope) => scope.region === lostRegion ? `the lost region ${lostRegion}`
        : GLOBAL_CONTROL_PLANE_SERVICES.has(scope.service) ? `${scope.service}'s control plane (us-east-1)`
        : undefined;
}

export interface ProxiedRequest extends CredentialScope {
    /** The API operation, as the request names it (X-Amz-Target, the query's Action, or method and path). */
    readonly operation: string;
}

export interface Refusal extends ProxiedRequest {
    readonly reason: string;
}

export interface FaultProxy {
    /** Give it to the SDK clients as their endpoint. */
    readonly url: string;
    refusals(): Refusal[];
    forwarded(): ProxiedRequest[];
    close(): Promise<void>;
}

/** The operation a request names: JSON protocols in X-Amz-Target, query protocols in Action, REST ones (Route 53) in the path. */
export function operationOf(method: string, url: string, target: string | undefined, body: string): string {
    if (target) {
        return target.split(".").pop()!;
    }
    const action = new URLSearchParams(body).get("Action") ?? new URL(url, "http://x").searchParams.get("Action");
    return action ?? `${method} ${new URL(url, "http://x").pathname}`;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export function isLoopbackUrl(url: string): boolean {
    try {
        return LOOPBACK.has(new URL(url).hostname);
    } catch {
        return false;
    }
}

/** Counts, for a report: "us-east-1 sts GetCallerIdentity x 2". */
export function tally(requests: readonly ProxiedRequest[]): string[] {
    const counts = new Map<string, number>();
    for (const r of requests) {
        const key = `${r.region} ${r.service} ${r.operation}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} x ${n}`);
}

export async function startFaultProxy(target: string, rule: FaultRule, mode: "reset" | "hang" = "reset"): Promise<FaultProxy> {
    if (!isLoopbackUrl(target)) {
        throw new Error(`the fault proxy forwards to loopback only, not ${target}`);
    }
    const upstream = new URL(target);
    const refusals: Refusal[] = [];
    const forwarded: ProxiedRequest[] = [];
    const sockets = new Set<net.Socket>();
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const scope = credentialScope(req.headers.authorization);
            const request = scope && {
                ...scope, operation: operationOf(req.method ?? "GET", req.url ?? "/", req.headers["x-amz-target"] as string | undefined, body.toString("utf8")),
            };
            const reason = request && rule(request);
            if (request && reason) {
                refusals.push({ ...request, reason });
                if (mode === "reset") {
                    req.socket.destroy();
                }
                return; // "hang": accepted, never answered
            }
            if (request) {
                forwarded.push(request);
            }
            const out = http.request({
                host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
                headers: { ...req.headers, host: upstream.host },
            }, (answer) => {
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
            });
            out.on("error", (err) => {
                res.writeHead(502);
                res.end(`fault proxy: the emulator at ${target} did not answer: ${err.message}`);
            });
            out.end(body);
        });
    });
    server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as net.AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        refusals: () => [...refusals],
        forwarded: () => [...forwarded],
        close: () => new Promise((resolve) => {
            sockets.forEach((s) => s.destroy());
            server.close(() => resolve());
        }),
    };
}
