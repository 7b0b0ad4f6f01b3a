// A local AWS emulator (moto_server) as the provider's target: the local stacks (Pulumi.local*.yaml) let a
// user with the Pulumi CLI `pulumi up` both regions on their machine. Only loopback endpoints are accepted.

/** The AWS services the program's resources use; each is pointed at the emulator. */
export const EMULATED_SERVICES = [
    "acm", "autoscaling", "backup", "cloudwatch", "dynamodb", "ec2", "elasticache", "elbv2", "iam", "kms", "rds", "route53", "s3", "sns", "ssm", "sts",
] as const;

/** The dummy credentials an emulator accepts (moto takes any; these are its documented ones). */
export const EMULATOR_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/**
 * Why a URL is not an emulator on this machine, or undefined when it is: http(s), a loopback host
 * (127.0.0.0/8, localhost, [::1]) and a port 1-65535, nothing after the port but "/". The program and the
 * runbook send credentials to it, so nothing else is accepted.
 */
export function loopbackUrlProblem(url: string): string | undefined {
    const m = /^(https?):\/\/(\[[^\]]*\]|[^:/]*)(?::(\d+))?(\/?)(.*)$/.exec(url);
    if (!m) {
        return "it is not an http:// or https:// URL";
    }
    const [, , host, port, , rest] = m;
    const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
    const loopback = host === "localhost" || host === "[::1]" || (octets !== null && octets.slice(1).every((o) => Number(o) <= 255));
    if (!loopback) {
        return `${host || "(no host)"} is not a loopback address (127.x.y.z, localhost or [::1])`;
    }
    if (port === undefined) {
        return "it names no port (the emulator's, e.g. :5000)";
    }
    if (Number(port) < 1 || Number(port) > 65535 || /^0/.test(port)) {
        return `port ${port} is not 1-65535`;
    }
    if (rest !== "") {
        return `it has a path or query (${rest}): give the emulator's root URL`;
    }
    return undefined;
}

/** aws.Provider arguments that send every call to the emulator, with its dummy credentials. */
export function emulatorProviderArgs(endpoint: string) {
    return {
        endpoints: [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, endpoint]))],
        accessKey: EMULATOR_CREDENTIALS.accessKeyId,
        secretKey: EMULATOR_CREDENTIALS.secretAccessKey,
        skipCredentialsValidation: true,
        skipMetadataApiCheck: true,
        skipRequestingAccountId: true,
        s3UsePathStyle: true,
    };
}
