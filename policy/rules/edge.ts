// The edge: HTTPS, access logs, launch templates, TLS-only buckets. The dr region serves the same users on the
// day, so its edge is held to the primary's.
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Peeked, UNKNOWN, isSet, list, oneOf, peek, show } from "./props";
import { configures, ofType, receivesLogs } from "./stack";
import { TYPES } from "./types";

/** The ALB security policies that negotiate TLS 1.3 (and 1.2 at most below it): the current ones. */
export const CURRENT_TLS_POLICY = /^ELBSecurityPolicy-TLS13-/;

export const albHttpsListenersCurrentTls: ResourceValidationPolicy = {
    name: "alb-https-listeners-current-tls",
    description:
        "A load balancer's HTTPS listener has a certificate and a TLS 1.3 security policy (ELBSecurityPolicy-TLS13-*): " +
        "the older defaults still accept TLS 1.0 and 1.1. The dr region serves the same users on the day, so its " +
        "edge must be as strict as the primary's (docs/edge.md, HTTPS).",
    enforcementLevel: "mandatory",
    remediationSteps: "Set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or a newer TLS13 policy) and certificateArn to a certificate of the listener's region.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (!oneOf(args.type, TYPES.listeners) || args.props.protocol !== "HTTPS") {
            return;
        }
        const policy = args.props.sslPolicy;
        if (typeof policy !== "string" || !CURRENT_TLS_POLICY.test(policy)) {
            report(`Listener ${args.name}: sslPolicy is ${show(policy)}, must be a TLS 1.3 policy (ELBSecurityPolicy-TLS13-*).`);
        }
        if (!isSet(peek(args.props, "certificateArn"))) {
            report(`Listener ${args.name}: HTTPS without a certificateArn.`);
        }
    },
};

export const albHttpRedirectsToHttps: ResourceValidationPolicy = {
    name: "alb-http-redirects-to-https",
    description:
        "A load balancer listener is HTTPS, or HTTP whose every default action redirects to HTTPS: nothing is served " +
        "in clear text, yet a user who types http:// still arrives (docs/edge.md, HTTPS). TLS and TCP listeners of network " +
        "load balancers are not judged.",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the HTTP listener one default action: { type: \"redirect\", redirect: { protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\" } }.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (!oneOf(args.type, TYPES.listeners) || args.props.protocol !== "HTTP") {
            return;
        }
        const actions = list(args.props, "defaultActions");
        const redirects = (a: Peeked) => peek(a, "type") === "redirect" && peek(a, "redirect", "protocol") === "HTTPS";
        if (actions.length === 0 || !actions.every(redirects)) {
            report(`Listener ${args.name}: HTTP on port ${show(args.props.port)} with default actions ` +
                `${show(actions.map((a) => peek(a, "type")))}: it must only redirect to HTTPS.`);
        }
    },
};

export const albAccessLogsEnabled: ResourceValidationPolicy = {
    name: "alb-access-logs-enabled",
    description:
        "An application load balancer writes access logs (accessLogs.enabled with a bucket): on the day, they show " +
        "which region served whom and when the traffic moved, the measured side of the RTO (docs/edge.md, Logs).",
    enforcementLevel: "mandatory",
    remediationSteps: "Set accessLogs: { bucket: <the region's log bucket>, enabled: true }.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (!oneOf(args.type, TYPES.loadBalancers) || (args.props.loadBalancerType ?? "application") !== "application") {
            return;
        }
        const enabled = peek(args.props, "accessLogs", "enabled");
        if (enabled !== true || !isSet(peek(args.props, "accessLogs", "bucket"))) {
            report(`Load balancer ${args.name}: access logs are off (accessLogs ${show(peek(args.props, "accessLogs") === UNKNOWN ? "unknown" : args.props.accessLogs)}).`);
        }
    },
};

export const launchTemplatesEncrypted: ResourceValidationPolicy = {
    name: "launch-templates-encrypted",
    description:
        "A launch template maps the root volume, and every EBS volume it maps is encrypted with a KMS key named in the " +
        "template (kmsKeyId): an image's snapshot can be unencrypted, and a region's instances must not depend on " +
        "the account-wide EBS default being set in a region that rarely runs them (docs/edge.md, Your workload).",
    enforcementLevel: "mandatory",
    remediationSteps: "Add blockDeviceMappings: [{ deviceName: <the image's root device>, ebs: { encrypted: \"true\", kmsKeyId: <the region's key> } }].",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.launchTemplate) {
            return;
        }
        const volumes = list(args.props, "blockDeviceMappings").filter((m) => peek(m, "ebs") !== undefined);
        if (volumes.length === 0) {
            report(`Launch template ${args.name}: no EBS block device mapping, so the root volume is as the image's snapshot is.`);
        }
        for (const mapping of volumes) {
            const encrypted = peek(mapping, "ebs", "encrypted");
            const device = show(peek(mapping, "deviceName"));
            if (encrypted !== "true" && encrypted !== true && encrypted !== UNKNOWN) {
                report(`Launch template ${args.name}: volume ${device} has encrypted ${show(encrypted)}, must be "true".`);
            } else if (!isSet(peek(mapping, "ebs", "kmsKeyId"))) {
                report(`Launch template ${args.name}: volume ${device} is encrypted without a kmsKeyId (the account's default key).`);
            }
        }
    },
};

/** Whether a policy document (JSON text) denies every S3 action when aws:SecureTransport is false. */
export function deniesPlainHttp(document: string): boolean {
    let parsed: any;
    try {
        parsed = JSON.parse(document);
    } catch {
        return false;
    }
    const statements = Array.isArray(parsed?.Statement) ? parsed.Statement : [parsed?.Statement];
    return statements.some((st: any) => st?.Effect === "Deny"
        && (st.Principal === "*" || st.Principal?.AWS === "*")
        && [st.Action].flat().some((a: unknown) => a === "s3:*" || a === "*")
        && String(st.Condition?.Bool?.["aws:SecureTransport"]) === "false");
}

export const s3BucketsTlsOnly: StackValidationPolicy = {
    name: "s3-buckets-tls-only",
    description:
        "Every S3 bucket has a bucket policy that denies all S3 actions on requests without TLS (aws:SecureTransport " +
        "false): the data, the replicas and the logs are not readable or writable in clear text by anyone (docs/edge.md, Logs).",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketPolicy with a Deny of s3:* for Principal \"*\" when Bool aws:SecureTransport is \"false\".",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const bucketPolicies = ofType(args, TYPES.bucketPolicy);
        for (const bucket of ofType(args, ...TYPES.buckets)) {
            const documents = bucketPolicies.filter((p) => configures(p, bucket)).map((p) => peek(p.props, "policy"));
            if (documents.some((d) => d === UNKNOWN || (typeof d === "string" && deniesPlainHttp(d)))) {
                continue;
            }
            report(documents.length === 0
                ? `S3 bucket ${bucket.name} has no bucket policy: it accepts requests without TLS.`
                : `S3 bucket ${bucket.name}: its bucket policy does not deny requests without TLS (aws:SecureTransport false).`,
            bucket.urn);
        }
    },
};

export const s3BucketsAccessLogged: StackValidationPolicy = {
    name: "s3-buckets-access-logged",
    description:
        "Every S3 bucket that does not itself receive access logs has server access logging (a BucketLogging whose " +
        "bucket is this bucket): who read or deleted which object is what a restore after corruption needs to know " +
        "(docs/edge.md, Logs). The log bucket is exempt: logging it to itself would log its own deliveries without end.",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketLogging for the bucket with targetBucket the region's log bucket.",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const loggings = ofType(args, ...TYPES.bucketLogging);
        for (const bucket of ofType(args, ...TYPES.buckets)) {
            if (receivesLogs(args, bucket) || loggings.some((l) => configures(l, bucket))) {
                continue;
            }
            report(`S3 bucket ${bucket.name} has no server access logging.`, bucket.urn);
        }
    },
};
