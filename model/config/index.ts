// The config's public API, as model/config.ts exported it before it became this folder: the contract
// (contract.ts, keys.ts), its value schemas and patterns (schemas.ts), the validation (validation.ts,
// crossKey.ts, report.ts) and what npm run contract writes from it (generation.ts). Within model/, a module
// the validation reaches (the tiers, the region plan) imports DrConfig from ./contract instead, so that no
// import leads back here.
export { CONTRACT } from "./contract";
export type { ConfigField, DefaultedKey, DrConfig, KeySpec, OptionalKey, RequiredKey } from "./contract";
export { CONFIG_FIELDS, PROJECT_KEYS, configKey, configKeyNames } from "./keys";
export { formatProblems, formatWarning } from "./report";
export type { ConfigProblem, ConfigWarning } from "./report";
export { pulumiYamlConfig, readmeKeyTable } from "./generation";
export {
    CERTIFICATE_ARN_PATTERN, GLOBAL_DATASTORE_ID_PATTERN, PRINCIPAL_ARN_PATTERN, SNAPSHOT_ARN_PATTERN, TOPIC_ARN_PATTERN, ZONE_ID_PATTERN,
} from "./schemas";
export type { Parsed, Schema } from "./schemas";
export { closestKey, parseDrConfig } from "./validation";
export type { ConfigResult, RawConfig } from "./validation";
export { ROLES, STRATEGIES } from "../strategy";
export type { Role, Strategy } from "../strategy";
/** The commands a fix may print, exported for the runbook's own. */
export { configRmCommand, configSetCommand, shellCommand } from "../tooling/shell";
