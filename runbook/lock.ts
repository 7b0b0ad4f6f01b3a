// One runbook run at a time, across operators' machines: a lock held in the dr region, as an SSM parameter
// created only if it does not exist (PutParameter without Overwrite is atomic). SSM is a regional API of the
// region that recovers, so taking the lock needs neither the lost region nor a control plane in us-east-1.
//
// A run is told apart by a random run id, not by its host and pid: two containers may have one hostname, and
// the same pid in their own pid namespaces. The lock says until when it holds, and a live run renews it (a
// heartbeat) long before then, so a dead run's lock (its machine lost, its process killed) is recognised as
// stale from any machine once that time has passed. Only a run in the same kernel and pid namespace as a
// dead holder (Linux: the boot id and the pid namespace) can see at once that its pid is gone.
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as os from "os";
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import { shellCommand } from "../model/tooling/shell";
import { AwsClients, unlessNotFound } from "./aws";

/** The lock's SSM parameter: one per app, whatever the run (a failover and a failback exclude each other too). */
export const lockParameterName = (appName: string): string => `/${appName}/dr/runbook-lock`;

/**
 * How long a lock holds without renewal: a dead run's lock is stale this long after its last renewal. Long
 * against the renewal below (a few failed renewals, an SSM hiccup, do not lose it) and against clocks'
 * disagreement (machines that keep time agree within a second), short against a failover's hours.
 */
export const LOCK_TTL_MS = 5 * 60_000;
/** How often a live run renews its lock. */
export const LOCK_RENEW_MS = 60_000;

/** Who holds the lock, as written into the parameter. */
export interface LockHolder {
    readonly kind: string;
    readonly stack: string;
    readonly mode: string;
    readonly user: string;
    readonly host: string;
    readonly pid: number;
    readonly startedAt: string;
    /** This run's random id: what tells its lock from another's (not its host and pid, which containers share). */
    readonly runId: string;
    /**
     * Until when the lock holds unless the run renews it (ISO 8601): after it, it is stale, and any run takes it
     * over. A lock written before locks expired has none, and is taken over only with --break-lock.
     */
    readonly expiresAt?: string;
    /**
     * The kernel (boot id) and pid namespace the pid belongs to, on Linux: a run with the same sees whether that
     * pid still runs. Two containers with one hostname have two pid namespaces. Unset elsewhere.
     */
    readonly machine?: string;
}

/** The boot id and pid namespace of this process (Linux), or undefined where /proc does not tell. */
export function thisMachine(): string | undefined {
    try {
        return `${fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()}/${fs.readlinkSync("/proc/self/ns/pid")}`;
    } catch {
        return undefined;
    }
}

/** This process, as a holder, its lock expiring LOCK_TTL_MS from `now`. */
export function thisRun(kind: string, stack: string, mode: string, now = new Date()): LockHolder {
    let user = "unknown";
    try {
        user = os.userInfo().username;
    } catch {
        // no user name (a container without passwd entry): the run id tells runs apart
    }
    const machine = thisMachine();
    return {
        kind, stack, mode, user, host: os.hostname(), pid: process.pid, startedAt: now.toISOString(), runId: randomUUID(),
        expiresAt: new Date(now.getTime() + LOCK_TTL_MS).toISOString(), ...(machine ? { machine } : {}),
    };
}

export function describeHolder(h: LockHolder): string {
    return `${h.kind} (${h.mode}) of stack ${h.stack} by ${h.user}@${h.host}, pid ${h.pid}, started ${h.startedAt}, run ${h.runId}` +
        (h.expiresAt ? `, its lock renewed until ${h.expiresAt}` : "");
}

/** Is a process of this machine still running? (signal 0 checks without signalling) */
export function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** A lock not renewed in time: its run is dead, or has lost touch with the dr region's SSM for minutes. */
export function stale(holder: Pick<LockHolder, "expiresAt">, now: Date): boolean {
    return holder.expiresAt !== undefined && Date.parse(holder.expiresAt) < now.getTime();
}

/**
 * Why a run may take over a lock it found, or undefined when it may not: when asked to (--break-lock); when the
 * lock is stale (not renewed in time); or when its holder ran in this machine's kernel and pid namespace and its
 * pid is gone (killed, so it could not release it). A holder elsewhere, with a lock renewed in time, may be
 * alive: a run waits for its lock to expire, or a person who knows it is dead says so with --break-lock.
 */
export function whyTakeOver(holder: LockHolder | undefined, here: Pick<LockHolder, "machine">, breakLock: boolean,
    alive: (pid: number) => boolean, now: Date): string | undefined {
    if (holder === undefined) {
        return "its holder is unreadable";
    }
    if (breakLock) {
        return "--break-lock";
    }
    if (stale(holder, now)) {
        return `stale: not renewed since it expired at ${holder.expiresAt}`;
    }
    if (holder.machine !== undefined && holder.machine === here.machine && !alive(holder.pid)) {
        return `its pid ${holder.pid} is gone from this machine`;
    }
    return undefined;
}

/** Whether a run may take over a lock it found (whyTakeOver says why). */
export function mayTakeOver(holder: LockHolder | undefined, here: Pick<LockHolder, "machine">, breakLock: boolean,
    alive: (pid: number) => boolean, now = new Date()): boolean {
    return whyTakeOver(holder, here, breakLock, alive, now) !== undefined;
}

/** The lock is held by another run. */
export class LockHeldError extends Error {
    constructor(public readonly parameter: string, public readonly region: string, public readonly holder: LockHolder | undefined) {
        super(`another runbook run holds the lock ${parameter} in ${region}: ${holder ? describeHolder(holder) : "(unreadable holder)"}. ` +
            "Wait for it to finish. If it is dead (its machine lost, its process killed), " +
            (holder?.expiresAt ? `its lock is stale after ${holder.expiresAt}, and a run then takes it over by itself; sooner, ` : "") +
            "re-run with --break-lock.");
    }
}

/** The AWS CLI command that deletes the lock parameter (through the emulator's endpoint, where the run used one). */
export function releaseCommand(parameter: string, region: string, endpoint?: string): string {
    return shellCommand("aws", ...(endpoint ? ["--endpoint-url", endpoint] : []), "ssm", "delete-parameter", "--region", region, "--name", parameter);
}

/**
 * The run ended but could not release its lock (the dr region's SSM did not answer, or refused): the lock stays
 * until it expires. Says so, with the command that releases it.
 */
export class LockNotReleasedError extends Error {
    constructor(public readonly parameter: string, public readonly region: string, public readonly cause: unknown, endpoint?: string, expiresAt?: string) {
        super(`the lock ${parameter} in ${region} was not released: ${(cause as Error)?.message ?? String(cause)}. ` +
            `Once SSM in ${region} answers, release it: ${releaseCommand(parameter, region, endpoint)}` +
            (expiresAt ? ` (or it is stale after ${expiresAt}, and the next run then takes it over by itself)` : " (or the next run takes it over with --break-lock)"));
    }
}

/**
 * The run could not take the lock: the dr region's SSM did not answer, or refused. Nothing was changed, and the
 * run has no report.
 */
export class LockNotTakenError extends Error {
    constructor(public readonly parameter: string, public readonly region: string, public readonly cause: unknown) {
        super(`could not take the lock ${parameter} in ${region}: ${(cause as Error)?.message ?? String(cause)}`);
    }
}

export interface HeldLock {
    /** Set when this run took over a lock a dead or broken run left: who that was, and why it could. */
    readonly tookOverFrom?: LockHolder;
    readonly why?: string;
    /** Until when the lock holds, as last written. */
    expiresAt(): string;
    /** Writes a new expiry if the lock is still this run's (the heartbeat calls it); else the lock is lost. */
    renew(): Promise<void>;
    /** Stops the heartbeat and deletes the parameter if it is still this run's. */
    release(): Promise<void>;
}

export interface LockOptions {
    /** Whether a pid of this machine runs (default: signal 0). */
    readonly alive?: (pid: number) => boolean;
    /** The clock the expiry is written and judged by (default: the system's). */
    readonly now?: () => Date;
    /** How often the lock is renewed by itself (default LOCK_RENEW_MS); 0: only when renew() is called. */
    readonly renewMs?: number;
    /** Told when a renewal finds the lock another run's (this one's had expired): this run no longer holds it. */
    readonly onLost?: (holder: LockHolder | undefined) => void;
}

function parseHolder(value: string | undefined): LockHolder | undefined {
    try {
        const parsed = JSON.parse(value ?? "");
        // A lock of an earlier version names its run by `token`, and never expires.
        const runId = typeof parsed?.runId === "string" ? parsed.runId : typeof parsed?.token === "string" ? parsed.token : undefined;
        return runId === undefined ? undefined : { ...parsed, runId } as LockHolder;
    } catch {
        return undefined;
    }
}

async function readHolder(clients: AwsClients, name: string): Promise<LockHolder | undefined | null> {
    const out = await unlessNotFound("ParameterNotFound", () => clients.ssm.send(new GetParameterCommand({ Name: name })));
    return out === undefined ? null : parseHolder(out.Parameter?.Value);
}

/**
 * Takes the lock in the dr region, or throws LockHeldError naming the run that holds it, or LockNotTakenError
 * when SSM there fails. The lock held is renewed every `renewMs` until released.
 */
export async function acquireLock(clients: AwsClients, appName: string, me: LockHolder, breakLock: boolean, options: LockOptions = {}): Promise<HeldLock> {
    try {
        return await takeLock(clients, appName, me, breakLock, options);
    } catch (err) {
        throw err instanceof LockHeldError ? err : new LockNotTakenError(lockParameterName(appName), clients.region, err);
    }
}

async function takeLock(clients: AwsClients, appName: string, me: LockHolder, breakLock: boolean, options: LockOptions): Promise<HeldLock> {
    const name = lockParameterName(appName);
    const now = options.now ?? (() => new Date());
    let expiresAt = "";
    const put = (overwrite: boolean) => {
        expiresAt = new Date(now().getTime() + LOCK_TTL_MS).toISOString();
        return clients.ssm.send(new PutParameterCommand({
            Name: name, Value: JSON.stringify({ ...me, expiresAt }), Type: "String", Overwrite: overwrite,
            Description: "multi-region-dr: the runbook run in progress (runbook/lock.ts)",
        }));
    };
    let tookOverFrom: LockHolder | undefined;
    let why: string | undefined;
    try {
        await put(false);
    } catch (err) {
        if ((err as { name?: string }).name !== "ParameterAlreadyExists") {
            throw err;
        }
        const holder = await readHolder(clients, name);
        // Our own: the SDK's second attempt of a put whose answer was lost finds the first one's lock.
        if (holder?.runId !== me.runId) {
            why = holder === null ? "deleted meanwhile" : whyTakeOver(holder, me, breakLock, options.alive ?? processAlive, now());
            if (why === undefined) {
                throw new LockHeldError(name, clients.region, holder ?? undefined);
            }
            tookOverFrom = holder ?? undefined;
            await put(true);
        }
    }
    // Read back: of two runs taking over the same dead lock at once, the last write wins, and the other stops.
    const written = await readHolder(clients, name);
    if (written?.runId !== me.runId) {
        throw new LockHeldError(name, clients.region, written ?? undefined);
    }

    let lost = false;
    let heartbeat: NodeJS.Timeout | undefined;
    const stop = () => {
        clearInterval(heartbeat);
        heartbeat = undefined;
    };
    const renew = async () => {
        if (lost) {
            return;
        }
        // A read, then a write: only a run whose lock had already expired can lose it between the two.
        const holder = await readHolder(clients, name);
        if (holder?.runId !== me.runId) {
            lost = true;
            stop();
            options.onLost?.(holder ?? undefined);
            return;
        }
        await put(true);
    };
    const renewMs = options.renewMs ?? LOCK_RENEW_MS;
    if (renewMs > 0) {
        // A renewal that fails (SSM busy) is tried again at the next beat: the expiry leaves room for several.
        heartbeat = setInterval(() => void renew().catch(() => undefined), renewMs);
        // The heartbeat alone does not keep the process alive: the run does.
        heartbeat.unref();
    }
    return {
        tookOverFrom,
        why,
        expiresAt: () => expiresAt,
        renew,
        release: async () => {
            stop();
            if (lost || (await readHolder(clients, name))?.runId !== me.runId) {
                return;
            }
            // Not found: the SDK's second attempt of a delete whose answer was lost finds it already gone.
            await unlessNotFound("ParameterNotFound", () => clients.ssm.send(new DeleteParameterCommand({ Name: name })));
        },
    };
}
