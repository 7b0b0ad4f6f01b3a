import { strict as assert } from "assert";
import {
    bucketArn, bucketName, globalClusterIdentifier, kmsAliasArn, regionCode, regionNames,
} from "../model/naming";

const REGION_CODES: ReadonlyArray<readonly [region: string, code: string]> = [
    ["us-east-1", "use1"],
    ["us-west-2", "usw2"],
    ["eu-central-1", "euc1"],
    ["ap-southeast-2", "apse2"],
    ["ap-northeast-1", "apne1"],
    ["us-gov-west-1", "usgw1"],
    ["il-central-1", "ilc1"],
];
const REGIONS = REGION_CODES.map(([r]) => r);
/** The longest app name config validation accepts (16 characters). */
const LONGEST_APP = "abcdefghijklmnop";
const ACCOUNT = "123456789012";

describe("naming", () => {
    describe("regionCode", () => {
        for (const [region, code] of REGION_CODES) {
            it(`${region} -> ${code}`, () => {
                assert.equal(regionCode(region), code);
            });
        }

        it("gives each region a distinct code", () => {
            const codes = REGIONS.map(regionCode);
            assert.equal(new Set(codes).size, codes.length, `codes collide: ${codes.join(", ")}`);
        });
    });

    describe("regionNames", () => {
        for (const [region, code] of REGION_CODES) {
            it(`prefixes every name with shop-${code} in ${region}, except the data key alias`, () => {
                const names = regionNames("shop", region);
                assert.equal(names.prefix, `shop-${code}`);
                for (const [key, value] of Object.entries(names)) {
                    if (key === "dataKeyAlias") {
                        assert.equal(value, "alias/shop-dr-data");
                    } else if (key === "cacheAuthTokenParameter") {
                        assert.equal(value, `/shop-${code}/cache/auth-token`, "an SSM path starts with /");
                    } else {
                        assert.ok(value.startsWith(`shop-${code}`), `${key} = ${value}`);
                    }
                }
            });

            it(`keeps ALB and target group names within 32 characters for a 16-character app in ${region}`, () => {
                const names = regionNames(LONGEST_APP, region);
                assert.equal(names.alb, `${LONGEST_APP}-${code}-alb`);
                assert.equal(names.targetGroup, `${LONGEST_APP}-${code}-tg`);
                assert.ok(names.alb.length <= 32, `${names.alb} is ${names.alb.length} characters`);
                assert.ok(names.targetGroup.length <= 32, `${names.targetGroup} is ${names.targetGroup.length} characters`);
            });
        }

        it("gives the two regions different names for every regional resource", () => {
            const prod = regionNames("shop", "us-east-1");
            const dr = regionNames("shop", "us-west-2");
            for (const key of Object.keys(prod) as (keyof typeof prod)[]) {
                if (key === "dataKeyAlias") {
                    // Per-region aliases: the same name lets either stack find the other region's key.
                    assert.equal(prod[key], dr[key]);
                } else {
                    assert.notEqual(prod[key], dr[key], `${key} is ${prod[key]} in both regions`);
                }
            }
        });

        it("gives every region of the table a distinct ALB name", () => {
            const albs = REGIONS.map((r) => regionNames("shop", r).alb);
            assert.equal(new Set(albs).size, albs.length);
        });
    });

    describe("bucketName", () => {
        it("is <app>-data-<account>-<region>", () => {
            assert.equal(bucketName("shop", "us-east-1", ACCOUNT), "shop-data-123456789012-us-east-1");
            assert.equal(bucketName("shop", "us-west-2", ACCOUNT), "shop-data-123456789012-us-west-2");
        });

        for (const region of REGIONS) {
            it(`stays within S3's 63 characters for a 16-character app in ${region}`, () => {
                const name = bucketName(LONGEST_APP, region, ACCOUNT);
                assert.ok(name.length <= 63, `${name} is ${name.length} characters`);
                assert.match(name, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
            });
        }

        it("fits ap-southeast-2 with a 16-character app exactly as expected", () => {
            const name = bucketName(LONGEST_APP, "ap-southeast-2", ACCOUNT);
            assert.equal(name, "abcdefghijklmnop-data-123456789012-ap-southeast-2");
            assert.ok(name.length <= 63);
        });
    });

    describe("shared names", () => {
        it("globalClusterIdentifier is <app>-global", () => {
            assert.equal(globalClusterIdentifier("shop"), "shop-global");
        });

        it("the replication role and backup names are per region (IAM is global)", () => {
            assert.equal(regionNames("shop", "us-east-1").replicationRole, "shop-use1-s3-replication");
            assert.equal(regionNames("shop", "us-west-2").replicationRole, "shop-usw2-s3-replication");
            assert.equal(regionNames("shop", "us-west-2").backupVault, "shop-usw2-backups");
            assert.equal(regionNames("shop", "us-west-2").backupPlan, "shop-usw2-backup");
            assert.equal(regionNames("shop", "us-east-1").dbMonitoringRole, "shop-use1-rds-monitoring");
            assert.equal(regionNames("shop", "us-west-2").dbMonitoringRole, "shop-usw2-rds-monitoring");
            // IAM role names: at most 64 characters, with the longest app name and region code.
            assert.ok(regionNames(LONGEST_APP, "ap-southeast-2").dbMonitoringRole.length <= 64);
        });

        it("bucketArn carries neither region nor account", () => {
            assert.equal(bucketArn("shop-data-123456789012-us-west-2"), "arn:aws:s3:::shop-data-123456789012-us-west-2");
        });

        it("kmsAliasArn names region, account and alias", () => {
            assert.equal(
                kmsAliasArn("us-west-2", ACCOUNT, regionNames("shop", "us-west-2").dataKeyAlias),
                "arn:aws:kms:us-west-2:123456789012:alias/shop-dr-data",
            );
        });
    });
});
