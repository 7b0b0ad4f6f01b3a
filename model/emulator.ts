// A local AWS emulator (moto_server) as the provider's target: the local stacks (Pulumi.local*.yaml) let a
// user with the Pulumi CLI `pulumi up` both regions on their machine. Only loopback endpoints are accepted.

/** The AWS services the program's resources use; each is pointed at the emulator. */
export const EMULATED_SERVICES = [
    "autoscaling", "backup", "cloudwatch", "dynamodb", "ec2", "elasticache", "elbv2", "iam", "kms", "rds", "route53", "s3", "sns", "ssm", "sts",
] as const;

/** The dummy credentials an emulator accepts (moto takes any; these are its documented ones). */
export const EMULATOR_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

export const LOOPBACK_URL = /^https?:\/\/(127(\.\d{1,3}){3}|localhost|\[::1\]):\d{1,5}\/?$/;

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
