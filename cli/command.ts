// The one layer every command shares (npm run plan, failover, failback, drill, bench, contract): argument
// parsing, usage text, exit codes and the one error type. A command is a function from its arguments to an
// exit code; `runMain` wires it to the process.
import { ParseArgsConfig, parseArgs } from "util";
import { closestKey, configKeyNames } from "../model/config";

/** 0: done (the plan printed, the drill completed); 1: it failed (bad config, a failed step); 2: bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * What a command reports to the person running it, without a stack trace: a problem they can fix (config,
 * arguments, a missing tool). `usage` errors print the command's usage text too and exit 2.
 */
export class CliError extends Error {
    constructor(message: string, public readonly exitCode: ExitCode = EXIT.failed) {
        super(message);
    }

    static usage(message: string): CliError {
        return new CliError(message, EXIT.usage);
    }
}

/** Where a command writes: the terminal, or a test's capture. */
export interface Io {
    out(line?: string): void;
    err(line?: string): void;
}

export const PROCESS_IO: Io = {
    out: (line = "") => process.stdout.write(`${line}\n`),
    err: (line = "") => process.stderr.write(`${line}\n`),
};

export interface CommandSpec<O extends NonNullable<ParseArgsConfig["options"]>> {
    /** The whole usage text: the synopsis, then a line per option. */
    readonly usage: string;
    readonly options: O;
    /** Positional arguments the command takes (the runbook's failover | failback); none by default. */
    readonly positionals?: boolean;
}

/**
 * Parses a command line strictly: an unknown option, a missing value or a stray argument is a usage error
 * that names it. (`--help` never gets here: runMain answers it.)
 */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig["options"]>>(spec: CommandSpec<O>, argv: readonly string[]) {
    try {
        return parseArgs({ args: [...argv], options: spec.options, strict: true, allowPositionals: spec.positionals ?? false });
    } catch (err) {
        throw CliError.usage((err as Error).message);
    }
}

/** `--help` or `-h` anywhere on the command line. */
export function wantsHelp(argv: readonly string[]): boolean {
    return argv.includes("--help") || argv.includes("-h");
}

/** A whole number option in [min, max], or undefined when absent; anything else is a usage error. */
export function wholeNumberOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        throw CliError.usage(`--${name} ${value}: must be a whole number from ${min} to ${max}`);
    }
    return Number(value);
}

/**
 * Runs a command as the process: its exit code becomes the process's. `--help` prints the usage text. A
 * CliError prints its message (and the usage text for a usage error); anything else is a bug and prints
 * its stack.
 */
export function runMain(usage: string, command: (argv: string[], io: Io) => Promise<number>, io: Io = PROCESS_IO): void {
    const argv = process.argv.slice(2);
    if (wantsHelp(argv)) {
        io.out(usage);
        process.exit(EXIT.ok);
    }
    command(argv, io).then(
        (code) => process.exit(code),
        (err) => {
            if (err instanceof CliError) {
                io.err(err.exitCode === EXIT.usage ? `${err.message}\n\n${usage}` : err.message);
                process.exit(err.exitCode);
            }
            io.err(`unexpected error (a bug: please report it): ${(err as Error).stack ?? err}`);
            process.exit(EXIT.failed);
        },
    );
}

/** `--set key=value` items as config overrides ("dr:" may be left out); an unknown key is a usage error naming the closest one. */
export function parseSets(items: readonly string[]): Record<string, string> {
    const known = new Set(configKeyNames());
    const overrides: Record<string, string> = {};
    for (const item of items) {
        const match = /^([^=]+)=(.*)$/s.exec(item);
        if (!match) {
            throw CliError.usage(`--set ${item}: expected key=value, e.g. --set dr:strategy=warm-standby`);
        }
        const key = match[1].includes(":") ? match[1].trim() : `dr:${match[1].trim()}`;
        if (!known.has(key)) {
            const meant = closestKey(key);
            throw CliError.usage(`--set ${item}: ${key} is not a key the program reads` +
                (meant ? `: did you mean ${meant}?` : ' (see docs/config.md, the config reference)'));
        }
        overrides[key] = match[2];
    }
    return overrides;
}
