// Commands the project prints for a person to paste (a config fix, the runbook's IaC steps) are built here,
// with every argument quoted for a POSIX shell, so that a value can never run as code.

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Characters a double-quoted word still gives meaning to: expansion, escapes, history, line breaks. */
const LIVE_IN_DOUBLE_QUOTES = /[$`"\\!\n\r]/;

/**
 * One shell word that the shell reads back as exactly `arg`: bare when it is plain, in double quotes
 * when nothing in it is live there (the more readable form, e.g. "cron(0 * * * ? *)"), else in single
 * quotes, where nothing is live, with each ' written as '\''.
 */
export function shellQuote(arg: string): string {
    if (PLAIN.test(arg)) {
        return arg;
    }
    if (!LIVE_IN_DOUBLE_QUOTES.test(arg)) {
        return `"${arg}"`;
    }
    return `'${arg.replace(/'/g, "'\\''")}'`;
}

/** A command line, every argument quoted. */
export function shellCommand(...args: string[]): string {
    return args.map(shellQuote).join(" ");
}

/** `pulumi config set <key> <value> -s <stack>`, quoted. */
export function configSetCommand(key: string, value: string, stack: string): string {
    return shellCommand("pulumi", "config", "set", key, value, "-s", stack);
}

/** `pulumi config rm <key> -s <stack>`, quoted. */
export function configRmCommand(key: string, stack: string): string {
    return shellCommand("pulumi", "config", "rm", key, "-s", stack);
}
