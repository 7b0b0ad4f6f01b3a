// The app tier's contract with its probes: what the ALB's target group, Route 53's health checks, the
// runbook's smoke check and the drill's stand-in of the app all agree on.

/** The path the ALB and Route 53 probe; the app must answer 2xx/3xx there. */
export const HEALTH_CHECK_PATH = "/health";
/** The port the ALB listens on and the instances serve. */
export const APP_PORT = 80;
