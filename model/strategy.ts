// The names of the four tiers (`dr:strategy`) and of the two stacks' roles (`dr:role`). Everything else
// about a tier is in its TierSpec (model/tiers/).

/** The tiers, cheapest and slowest first (docs/reference.md, "Tiers (rule of thumb)"). */
export const STRATEGIES = ["backup-restore", "pilot-light", "warm-standby", "active-active"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** primary: the prod stack, serving in normal times; secondary: the dr stack, the recovery region. */
export const ROLES = ["primary", "secondary"] as const;
export type Role = (typeof ROLES)[number];
