import { strict as assert } from "assert";
import { GLOBAL_TABLE_VERSION, GlobalTable, GlobalTableArgs } from "../components/globalTable";
import { globalTableName, tableArn } from "../model/naming";
import { record, Recorded } from "../offline/evaluate";

const TABLE = "aws:dynamodb/table:Table";
const COMPONENT = "multi-region-dr:components:GlobalTable";

const ARGS: GlobalTableArgs = {
    tableName: "shop-data",
    replicaRegions: ["us-west-2"],
};

async function table(args: GlobalTableArgs): Promise<Recorded> {
    const rec = await record(() => {
        new GlobalTable("t", args);
    });
    return rec.one(TABLE);
}

describe("GlobalTable", () => {
    it("creates one protected, on-demand table under the component with the given name and keys", async () => {
        const rec = await record(() => {
            new GlobalTable("t", { ...ARGS, hashKey: "tenant", rangeKey: "item" });
        });
        assert.equal(rec.one(COMPONENT).name, "t");
        const t = rec.one(TABLE);
        assert.equal(t.name, "t-table");
        assert.equal(t.parent, "t");
        assert.equal(t.protect, true);
        assert.equal(t.inputs.name, "shop-data");
        assert.equal(t.inputs.billingMode, "PAY_PER_REQUEST");
        assert.equal(t.inputs.hashKey, "tenant");
        assert.equal(t.inputs.rangeKey, "item");
        assert.deepEqual(t.inputs.attributes, [{ name: "tenant", type: "S" }, { name: "item", type: "S" }]);
    });

    it("defaults the keys to pk and sk, both strings", async () => {
        const t = await table(ARGS);
        assert.equal(t.inputs.hashKey, "pk");
        assert.equal(t.inputs.rangeKey, "sk");
        assert.deepEqual(t.inputs.attributes, [{ name: "pk", type: "S" }, { name: "sk", type: "S" }]);
    });

    it("streams new and old images, keeps 35 days of PITR, encrypts with the AWS-managed key and resists deletion", async () => {
        const t = await table(ARGS);
        assert.equal(t.inputs.streamEnabled, true);
        assert.equal(t.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
        assert.deepEqual(t.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
        // No customer key: a replica's key must be a key ARN of its region, which prod cannot know (see the component).
        assert.deepEqual(t.inputs.serverSideEncryption, { enabled: true });
        assert.equal(t.inputs.deletionProtectionEnabled, true);
    });

    it("replicates to the dr region with PITR, deletion protection of its own and the table's tags", async () => {
        const t = await table(ARGS);
        assert.deepEqual(t.inputs.replicas, [
            { regionName: "us-west-2", pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true },
        ]);
    });

    it("gives each of two replica regions its own entry", async () => {
        const t = await table({ ...ARGS, replicaRegions: ["us-west-2", "eu-west-1"] });
        assert.deepEqual(t.inputs.replicas.map((r: { regionName: string }) => r.regionName), ["us-west-2", "eu-west-1"]);
        assert.ok(t.inputs.replicas.every((r: { pointInTimeRecovery: boolean; deletionProtectionEnabled: boolean }) =>
            r.pointInTimeRecovery === true && r.deletionProtectionEnabled === true));
    });

    it("outputs the table's name and ARN", async () => {
        const rec = await record(() => {
            const t = new GlobalTable("t", ARGS);
            return { tableName: t.tableName, tableArn: t.tableArn };
        });
        assert.equal(rec.outputs.tableName, "shop-data");
        assert.equal(rec.outputs.tableArn, `arn:aws:mock:::${TABLE}/t-table`);
    });

    it("names the version the provider's replicas create", () => {
        assert.equal(GLOBAL_TABLE_VERSION, "2019.11.21");
    });

    it("derives the table name and ARN as exact strings", () => {
        assert.equal(globalTableName("shop"), "shop-data");
        assert.equal(tableArn("us-west-2", "123456789012", "shop-data"), "arn:aws:dynamodb:us-west-2:123456789012:table/shop-data");
        assert.equal(tableArn("eu-west-1", "210987654321", globalTableName("app")), "arn:aws:dynamodb:eu-west-1:210987654321:table/app-data");
    });
});
