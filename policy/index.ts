// The policy pack: `pulumi preview --policy-pack policy` (from the program's directory) runs this file.
// Constructing the PolicyPack starts the analyzer server the engine talks to, so only the engine should
// load this file; tests import ./rules (the folder) instead.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules";

new PolicyPack("multi-region-dr-guardrails", {
    description: "Guardrails of the multi-region DR program: encrypted, deletion-protected stateful data; backups " +
        "copied across regions; health checks and DNS that fail over within the tier's RTO; replication-lag alarms.",
    policies,
});
