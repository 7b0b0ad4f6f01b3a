// The region's health canary (components/canary.ts; model/canary.ts says why a canary and how it alarms):
// plain Node.js https, no browser. The runtime's contract for a Node.js canary is an exported async handler
// that returns to pass and throws to fail ("Writing a Node.js canary script"; Synthetics publishes
// SuccessPercent from that). It connects to the region's own ALB but sends SNI and Host for the app's name, so
// the ALB serves the certificate for that name and Node verifies it against that name; a 2xx or 3xx answer on
// the health path passes, as Route 53's checks count it (docs/reference.md). What it calls is in its environment.
import { request } from "https";
import { canaryTargetOf } from "../model/canary";
import type { CanaryTarget } from "../model/canary";

export function check(target: Required<CanaryTarget> = canaryTargetOf(process.env)): Promise<string> {
    const url = `https://${target.hostName}${target.path} via ${target.connectTo}`;
    return new Promise((resolve, reject) => {
        const req = request({
            host: target.connectTo,
            port: target.port,
            method: "GET",
            path: target.path,
            servername: target.hostName,
            headers: { Host: target.hostName, "User-Agent": "multi-region-dr-canary" },
            // A fresh connection per run, so every run tests the TLS handshake too.
            agent: false,
            timeout: target.timeoutMs,
        }, (res) => {
            res.resume();
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 400) {
                resolve(`GET ${url}: ${status}`);
            } else {
                reject(new Error(`GET ${url} answered ${status}, not 2xx/3xx`));
            }
        });
        req.on("timeout", () => req.destroy(new Error(`GET ${url}: no answer within ${target.timeoutMs} ms`)));
        req.on("error", (err) => reject(new Error(`GET ${url}: ${err.message}`)));
        req.end();
    });
}

export async function handler(): Promise<string> {
    const result = await check();
    console.log(result);
    return result;
}
