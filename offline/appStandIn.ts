// The app's stand-in for the drill's smoke check: what answers on the health path where, in an emulator,
// dr:dnsName points nowhere. Loopback only: a drill never sends traffic anywhere else.
import * as http from "http";
import { AddressInfo } from "net";
import { HEALTH_CHECK_PATH } from "../model/app";

/** The app's stand-in for the smoke check: a loopback HTTP server. */
export interface AppStandIn {
    /** http://127.0.0.1:<port>/health */
    readonly healthUrl: string;
    /** Requests it answered, e.g. ["GET /health 200"]. */
    readonly requests: readonly string[];
    close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 (a free port) that answers 200 on the app's health path and 404
 * elsewhere: what the smoke check reaches instead of dr:dnsName, which points nowhere in an emulator.
 * Loopback only: a drill never sends traffic anywhere else.
 */
export function startAppStandIn(): Promise<AppStandIn> {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
        const ok = req.method === "GET" && (req.url ?? "").split("?")[0] === HEALTH_CHECK_PATH;
        requests.push(`${req.method} ${req.url} ${ok ? 200 : 404}`);
        res.writeHead(ok ? 200 : 404, { "Content-Type": "text/plain", Connection: "close" });
        res.end(ok ? "ok\n" : "not found\n");
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo;
            let closed: Promise<void> | undefined;
            resolve({
                healthUrl: `http://127.0.0.1:${port}${HEALTH_CHECK_PATH}`,
                requests,
                close: () => (closed ??= new Promise<void>((done) => {
                    server.close(() => done());
                    server.closeAllConnections();
                })),
            });
        });
    });
}
