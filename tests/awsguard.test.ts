// How Pulumi's AWS policy set, @pulumi/awsguard (all 26 policies, mandatory), judges the program's resources,
// every tier and both stacks, run offline through policy/testing.ts (tests/awsguard.ts). What it still
// reports is pinned here with the reason, so a new finding, or a lost one, fails the suite.
import { strict as assert } from "assert";
import { policies as ownPolicies } from "../policy/rules";
import { evaluate, RecordedResource } from "../policy/testing";
import { STRATEGIES } from "../model/strategy";
import { AwsGuardPack, asV4LoadBalancers, awsGuardPack, runAwsGuard } from "./awsguard";
import { stackRun } from "../offline/evaluate";

const BUCKET = "aws:s3/bucket:Bucket";
const nameOf = (urn?: string) => urn?.split("::").pop();

describe("@pulumi/awsguard over the program (offline)", () => {
    let pack: AwsGuardPack;
    before(function () {
        this.timeout(20000);
        pack = awsGuardPack({ all: "mandatory" });
    });

    it("loads all 26 policies without serving, each mandatory, with its schema defaults", () => {
        assert.equal(pack.policies.length, 26);
        assert.ok(Object.values(pack.config).every((c) => c.enforcementLevel === "mandatory"));
        assert.equal(pack.config["acm-certificate-expiration"].maxDaysUntilExpiration, 14, "a schema default reaches the policy");
    });

    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: only s3-bucket-logging-enabled, on every bucket (it reads @pulumi/aws 4's inline \`loggings\`, which 7 has not); the pack's own rule sees the logging`, async () => {
                const r = await stackRun(stack, { "dr:strategy": strategy });
                const resources = r.resources as RecordedResource[];
                const { violations, notRun } = await runAwsGuard(pack, stack, resources);
                assert.deepEqual(violations.map((v) => [v.policy, nameOf(v.urn)]).sort(),
                    r.ofType(BUCKET).map((b) => ["s3-bucket-logging-enabled", b.name]).sort());
                // It would call ACM's DescribeCertificate for the certificate this stack requests: refused offline.
                assert.deepEqual(notRun, [{ policy: "acm-certificate-expiration", call: "acm.describeCertificate" }]);
                const own = await evaluate(ownPolicies.filter((p) => p.name === "s3-buckets-access-logged"), resources, { stack, project: "dr" });
                assert.deepEqual(own, [], "every data bucket logs to the region's log bucket, which is exempt");
            });

            it(`${strategy}, ${stack}: its ELB policies, given the ALB under @pulumi/aws 4's tokens: logs on, HTTP redirected; deletion protection off only on the dr ALB, deliberately`, async () => {
                const r = await stackRun(stack, { "dr:strategy": strategy });
                const { violations } = await runAwsGuard(pack, stack, asV4LoadBalancers(r.resources as RecordedResource[]));
                assert.deepEqual(violations.map((v) => [v.policy, nameOf(v.urn)]),
                    stack === "dr" ? [["elb-deletion-protection-enabled", "shop-app-alb"]] : []);
            });
        }
    }

    it("with dr:certificateArn the stack requests no certificate, so nothing asks ACM", async () => {
        const r = await stackRun("dr", { "dr:certificateArn": "arn:aws:acm:us-west-2:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab" });
        assert.deepEqual((await runAwsGuard(pack, "dr", r.resources as RecordedResource[])).notRun, []);
    });
});
