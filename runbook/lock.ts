// One runbook run at a time, across operators' machines: a lock held in the dr region, as an SSM parameter
// created only if it does not exist (PutParameter without Overwrite is atomic). SSM is a regional API of the
// region that recovers, so taking the lock needs neither the lost region nor a control plane in us-east-1.
import * as os from "os";
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import { AwsClients } from "./aws";

/** The lock's SSM parameter: one per app, whatever the run (a failover and a failback exclude each other too). */
export const lockParameterName = (appName: string): string => `/${appName}/dr/runbook-lock`;

/** Who holds the lock, as written into the parameter. */
export interface LockHolder {
    readonly kind: string;
    readonly stack: string;
    readonly mode: string;
    readonly user: string;
    readonly host: string;
    readonly pid: number;
    readonly startedAt: string;
    /** Tells this run's lock from another's with the same pid and host. */
    readonly token: string;
}

/** This process, as a holder. */
export function thisRun(kind: string, stack: string, mode: string, now = new Date()): LockHolder {
    let user = "unknown";
    try {
        user = os.userInfo().username;
    } catch {
        // no user name (a container without passwd entry): the host and pid still tell runs apart
    }
    return {
        kind, stack, mode, user, host: os.hostname(), pid: process.pid, startedAt: now.toISOString(),
        token: `${process.pid}-${now.getTime()}-${Math.random().toString(36).slice(2, 10)}`,
    };
}

export function describeHolder(h: LockHolder): string {
    return `${h.kind} (${h.mode}) of stack ${h.stack} by ${h.user}@${h.host}, pid ${h.pid}, started ${h.startedAt}`;
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

/**
 * Whether a run may take over a lock it found: when asked to (--break-lock), or when the holder is a run of
 * this same machine that is no longer running (killed, so it could not release it). A holder elsewhere may be
 * alive: only a person can tell, with --break-lock.
 */
export function mayTakeOver(holder: LockHolder | undefined, here: string, breakLock: boolean, alive: (pid: number) => boolean): boolean {
    return breakLock || holder === undefined || (holder.host === here && !alive(holder.pid));
}

/** The lock is held by another run. */
export class LockHeldError extends Error {
    constructor(public readonly parameter: string, public readonly region: string, public readonly holder: LockHolder | undefined) {
        super(`another runbook run holds the lock ${parameter} in ${region}: ${holder ? describeHolder(holder) : "(unreadable holder)"}. ` +
            "Wait for it to finish. If it is dead (its machine lost, its process killed), re-run with --break-lock.");
    }
}

export interface HeldLock {
    /** Set when this run took over a lock a dead or broken run left: who that was. */
    readonly tookOverFrom?: LockHolder;
    /** Deletes the parameter if it is still this run's. */
    release(): Promise<void>;
}

function parseHolder(value: string | undefined): LockHolder | undefined {
    try {
        const parsed = JSON.parse(value ?? "");
        return typeof parsed?.token === "string" ? parsed as LockHolder : undefined;
    } catch {
        return undefined;
    }
}

async function readHolder(clients: AwsClients, name: string): Promise<LockHolder | undefined | null> {
    try {
        return parseHolder((await clients.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value);
    } catch (err) {
        if ((err as { name?: string }).name === "ParameterNotFound") {
            return null;
        }
        throw err;
    }
}

/** Takes the lock in the dr region, or throws LockHeldError naming the run that holds it. */
export async function acquireLock(clients: AwsClients, appName: string, me: LockHolder, breakLock: boolean,
    alive: (pid: number) => boolean = processAlive): Promise<HeldLock> {
    const name = lockParameterName(appName);
    const put = (overwrite: boolean) => clients.ssm.send(new PutParameterCommand({
        Name: name, Value: JSON.stringify(me), Type: "String", Overwrite: overwrite,
        Description: "multi-region-dr: the runbook run in progress (runbook/lock.ts)",
    }));
    let tookOverFrom: LockHolder | undefined;
    try {
        await put(false);
    } catch (err) {
        if ((err as { name?: string }).name !== "ParameterAlreadyExists") {
            throw err;
        }
        const holder = await readHolder(clients, name);
        if (holder !== null && !mayTakeOver(holder, me.host, breakLock, alive)) {
            throw new LockHeldError(name, clients.region, holder);
        }
        tookOverFrom = holder ?? undefined;
        await put(true);
    }
    // Read back: of two runs taking over the same dead lock at once, the last write wins, and the other stops.
    const now = await readHolder(clients, name);
    if (now?.token !== me.token) {
        throw new LockHeldError(name, clients.region, now ?? undefined);
    }
    return {
        tookOverFrom,
        release: async () => {
            if ((await readHolder(clients, name))?.token === me.token) {
                await clients.ssm.send(new DeleteParameterCommand({ Name: name }));
            }
        },
    };
}
