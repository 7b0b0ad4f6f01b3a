// The web ACL in front of each region's ALB (`dr:waf`): AWS's managed rule groups and a rate limit, behind one
// rule that lets the health checks through first. Pure: the rules in the shape the provider's wafv2.WebAcl takes,
// and an evaluator of the rules this project writes, so tests can show which rule ends a given request.
//
// Why the health checks come first: Route 53's health checkers and the canaries decide when traffic moves and
// when a failover is done (docs/reference.md, "Route 53", "Synthetics"). A managed rule that blocked them (a
// reputation list naming a checker's address, a rule on a header they send) would fail a healthy region, or
// keep a recovered one out. So GET of the health path, with no query string, is allowed before any other rule
// is evaluated: it is what both send, it reaches only the health endpoint, and nothing else matches it.
// Source of the evaluation order: AWS WAF Developer Guide, "Web ACL rule and rule group evaluation"
// (https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing.html): rules run in priority
// order, and the first Allow or Block ends the evaluation.

/** The AWS managed rule groups every web ACL carries: no charge beyond the rule (AWS WAF Developer Guide, "Baseline rule groups", "IP reputation rule groups"). */
export const MANAGED_RULE_GROUPS = [
    { rule: "aws-ip-reputation", group: "AWSManagedRulesAmazonIpReputationList" },
    { rule: "aws-known-bad-inputs", group: "AWSManagedRulesKnownBadInputsRuleSet" },
    { rule: "aws-common", group: "AWSManagedRulesCommonRuleSet" },
] as const;

/** The rule that lets the health checks through, first of all. */
export const HEALTH_CHECK_RULE = "allow-health-checks";
/** The rate-based rule: one address's requests over the window, then blocked until it slows down. */
export const RATE_LIMIT_RULE = "rate-limit-per-ip";
/** The rate-based rule's window, seconds: 300, AWS's default (60, 120, 300 or 600). */
export const RATE_LIMIT_WINDOW_SECONDS = 300;
/** What `dr:wafRateLimit` may be: AWS's range for a rate-based rule's limit (CreateWebACL, RateBasedStatement.Limit). */
export const RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;

/** A request as a rule sees it: enough for the rules this project writes. */
export interface WafRequest {
    readonly method: string;
    /** The path, without the query string. */
    readonly uriPath: string;
    /** The query string, without `?`; "" for none. */
    readonly queryString: string;
}

type FieldToMatch = { readonly uriPath: Record<string, never> } | { readonly method: Record<string, never> } | { readonly queryString: Record<string, never> };
const NO_TRANSFORMATION = [{ priority: 0, type: "NONE" as const }];

/** The statements this project writes (a subset of wafv2's): each can be evaluated here. */
export type OwnStatement =
    | { readonly andStatement: { readonly statements: OwnStatement[] } }
    | { readonly byteMatchStatement: { readonly fieldToMatch: FieldToMatch; readonly positionalConstraint: "EXACTLY"; readonly searchString: string; readonly textTransformations: typeof NO_TRANSFORMATION } }
    | { readonly sizeConstraintStatement: { readonly fieldToMatch: FieldToMatch; readonly comparisonOperator: "EQ"; readonly size: number; readonly textTransformations: typeof NO_TRANSFORMATION } };

/** AWS's statements, which only AWS evaluates. */
type OpaqueStatement =
    | { readonly rateBasedStatement: { readonly limit: number; readonly aggregateKeyType: "IP"; readonly evaluationWindowSec: number } }
    | { readonly managedRuleGroupStatement: { readonly vendorName: "AWS"; readonly name: string } };

interface Visibility {
    readonly cloudwatchMetricsEnabled: true;
    readonly sampledRequestsEnabled: true;
    readonly metricName: string;
}

export type WafRule = {
    readonly name: string;
    readonly priority: number;
    readonly visibilityConfig: Visibility;
} & (
    | { readonly action: { readonly allow: Record<string, never> } | { readonly block: Record<string, never> }; readonly statement: OwnStatement | OpaqueStatement }
    | { readonly overrideAction: { readonly none: Record<string, never> }; readonly statement: OpaqueStatement }
);

/** CloudWatch metrics and sampled requests for each rule and the ACL, under the ACL's name. */
export function visibility(metricName: string): Visibility {
    return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

const exactly = (fieldToMatch: FieldToMatch, searchString: string): OwnStatement =>
    ({ byteMatchStatement: { fieldToMatch, positionalConstraint: "EXACTLY", searchString, textTransformations: NO_TRANSFORMATION } });

/** GET of the health path, no query string: what Route 53's checkers and the canaries send. */
export function healthCheckStatement(healthPath: string): OwnStatement {
    return {
        andStatement: {
            statements: [
                exactly({ uriPath: {} }, healthPath),
                exactly({ method: {} }, "GET"),
                { sizeConstraintStatement: { fieldToMatch: { queryString: {} }, comparisonOperator: "EQ", size: 0, textTransformations: NO_TRANSFORMATION } },
            ],
        },
    };
}

/**
 * The web ACL's rules, in the order WAF evaluates them: the health checks allowed; a rate limit per address;
 * then AWS's managed groups, cheapest first (the IP reputation list is a lookup; the common rule set inspects
 * the most). A managed group's own actions apply (`overrideAction: none`).
 */
export function webAclRules(aclName: string, healthPath: string, rateLimit: number): WafRule[] {
    const metric = (rule: string) => visibility(`${aclName}-${rule}`);
    return [
        { name: HEALTH_CHECK_RULE, priority: 0, action: { allow: {} }, statement: healthCheckStatement(healthPath), visibilityConfig: metric(HEALTH_CHECK_RULE) },
        {
            name: RATE_LIMIT_RULE, priority: 1, action: { block: {} },
            statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: "IP", evaluationWindowSec: RATE_LIMIT_WINDOW_SECONDS } },
            visibilityConfig: metric(RATE_LIMIT_RULE),
        },
        ...MANAGED_RULE_GROUPS.map(({ rule, group }, i) => ({
            name: rule, priority: 2 + i, overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS" as const, name: group } },
            visibilityConfig: metric(rule),
        })),
    ];
}

function fieldOf(field: FieldToMatch, request: WafRequest): string {
    return "uriPath" in field ? request.uriPath : "method" in field ? request.method : request.queryString;
}

/** Whether one of this project's statements matches a request, as WAF evaluates it (no text transformation). */
export function statementMatches(statement: OwnStatement, request: WafRequest): boolean {
    if ("andStatement" in statement) {
        return statement.andStatement.statements.every((s) => statementMatches(s, request));
    }
    if ("byteMatchStatement" in statement) {
        const { fieldToMatch, searchString } = statement.byteMatchStatement;
        return fieldOf(fieldToMatch, request) === searchString;
    }
    const { fieldToMatch, size } = statement.sizeConstraintStatement;
    return Buffer.byteLength(fieldOf(fieldToMatch, request)) === size;
}

/**
 * Which rule decides a request: the first, in priority order, whose statement this project wrote and which matches
 * with Allow or Block (`decided`), or the first rule only AWS can evaluate, which the request reaches (`reaches`).
 */
export function firstRuleFor(rules: readonly WafRule[], request: WafRequest): { readonly rule: string; readonly outcome: "allow" | "block" | "reaches" } | undefined {
    for (const rule of [...rules].sort((a, b) => a.priority - b.priority)) {
        const own = "andStatement" in rule.statement || "byteMatchStatement" in rule.statement || "sizeConstraintStatement" in rule.statement;
        if (!own) {
            return { rule: rule.name, outcome: "reaches" };
        }
        if ("action" in rule && statementMatches(rule.statement as OwnStatement, request)) {
            return { rule: rule.name, outcome: "allow" in rule.action ? "allow" : "block" };
        }
    }
    return undefined;
}
