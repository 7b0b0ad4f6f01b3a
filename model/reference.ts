// Numbers from docs/reference.md that more than one part of the model uses. Numbers used in one
// place only stay there, beside their citation.

export const MINUTE = 60;
export const HOUR = 3600;
export const REF = "docs/reference.md";

/** Failover DNS: an alias record to an ALB takes the ELB's 60 s TTL ("Route 53"). */
export const ALIAS_TTL_SECONDS = 60;
/** S3 Replication Time Control: "99.99 % of objects within 15 min (SLA)"; RTC accepts only 15 ("S3 replication"). */
export const RTC_MINUTES = 15;
export const S3_RTC_SECONDS = RTC_MINUTES * MINUTE;
/** Aurora global database: "lag typically under 1 s" ("Aurora"). */
export const AURORA_LAG_SECONDS = 1;
/** DynamoDB global tables: "replication usually within a second" ("DynamoDB"). */
export const DYNAMODB_LAG_SECONDS = 1;
/** EC2 Auto Scaling: "a new instance is usually in service within 2-5 min"; the model takes the upper end. */
export const INSTANCE_BOOT_SECONDS = 5 * MINUTE;

/**
 * The Lambda runtime of every function the program ships (functions/): the newest Node.js runtime Lambda
 * supports, Node.js 24 since November 2025 (Lambda Developer Guide, "Lambda runtimes"; docs/reference.md,
 * "Restore testing"). nodejs22.x is deprecated from 2027-06-01 for new functions and 2027-07-01 for updates.
 * Node.js 24 dropped callback-style handlers; every handler here is async. One constant, so moving on is one line.
 */
export const LAMBDA_RUNTIME = "nodejs24.x";
