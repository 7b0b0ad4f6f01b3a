// The app tier's contract with its probes: what the ALB's target group, Route 53's health checks, the
// runbook's smoke check and the drill's stand-in of the app all agree on.

/** The path the ALB and Route 53 probe; the app must answer 2xx/3xx there. */
export const HEALTH_CHECK_PATH = "/health";
/** The port the instances serve on, behind the ALB (TLS ends at the ALB). */
export const APP_PORT = 80;
/** The ALB's HTTPS listener, the one users and Route 53's checks reach. */
export const HTTPS_PORT = 443;
/** The ALB's HTTP listener: it only redirects to HTTPS. */
export const HTTP_PORT = 80;
/**
 * The ALB's TLS policy: TLS 1.3 and 1.2 with forward-secret ciphers only, the policy AWS recommends for
 * new listeners (its console's default).
 */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Deletion protection of a region's ALB. On for the primary, which serves production and whose ALB no
 * change of the program replaces. Off for the dr region, on purpose: its failover deploy and a tier
 * change must be able to replace or remove the ALB, and a protected one fails that `pulumi up` on the day.
 */
export function albDeletionProtection(role: "primary" | "secondary"): boolean {
    return role === "primary";
}
