// The region's data: the Aurora cluster (and the monitoring role every region holds), the cache, the bucket and
// the DynamoDB global table, each where the plan has it.
import { getParameterOutput } from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import { Cache } from "../components/cache";
import { Database, DatabaseMonitoringRole } from "../components/database";
import { GlobalTable } from "../components/globalTable";
import { ObjectStore } from "../components/objectStore";
import { S3_LOG_PREFIX } from "../model/policies/bucketPolicy";
import { bucketName, globalClusterIdentifier, globalTableName, kmsAliasArn } from "../model/naming";
import { AURORA_ENGINE_VERSION, DB_BACKUP_RETENTION_DAYS, DB_INSTANCE_CLASS, DatabasePlan } from "../model/regionPlan";
import type { RegionBase } from "./base";

export interface ReplicatedBucket {
    readonly region: string;
    readonly bucketName: pulumi.Output<string>;
}

export interface Data {
    readonly database?: Database;
    readonly cache?: Cache;
    readonly store?: ObjectStore;
    /** The buckets the store replicates to, in rule order: the other regions', whose names every stack derives. */
    readonly targetBuckets: readonly ReplicatedBucket[];
    readonly table?: GlobalTable;
}

/** The data tier, which only exists with the app tier it serves: its clients are the app's instances. */
export function buildData(base: RegionBase, clientSecurityGroupId: pulumi.Output<string>): Data {
    const { name, plan, names, opts, key, network } = base;
    const database = newDatabase(base, plan.database, clientSecurityGroupId);
    const cache = plan.cache && new Cache(`${name}-cache`, {
        replicationGroupId: names.cache,
        authTokenParameterName: names.cacheAuthTokenParameter,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        clientSecurityGroupId,
        kmsKeyArn: key.keyArn,
        size: plan.cache,
        global: plan.cache.global,
        // A member signs in with the datastore's token: prod's, read from prod's parameter in normal times only.
        primaryAuthToken: plan.primaryCacheTokenParameter === undefined ? undefined
            : getParameterOutput({ name: plan.primaryCacheTokenParameter, withDecryption: true }, base.readPrimary()).value,
    }, opts);
    const { store, targetBuckets } = objectStore(base);
    const table = plan.globalTable && new GlobalTable(`${name}-table`, {
        tableName: globalTableName(base.cfg.appName),
        replicaRegions: [...plan.globalTable.replicaRegions],
        strong: plan.globalTable.strong,
    }, opts);
    return { database, cache: cache || undefined, store, targetBuckets, table: table || undefined };
}

/** The cluster, after the monitoring role that every region holds, database or not. */
function newDatabase(base: RegionBase, db: DatabasePlan | undefined, clientSecurityGroupId: pulumi.Output<string>): Database | undefined {
    const { name, cfg, names, opts, accountId, key, network } = base;
    // Enhanced monitoring's role, in every region and every tier, database or not: a database may appear here at the
    // failover deploy (backup & restore's restored cluster), which must create no IAM (docs/reference.md, "Control planes and data planes").
    const monitoring = new DatabaseMonitoringRole(`${name}-db-monitoring`, { roleName: names.dbMonitoringRole, accountId }, opts);
    return db && new Database(`${name}-db`, {
        membership: db.membership,
        restoreFrom: db.restoreFrom,
        writeForwarding: db.writeForwarding,
        globalClusterIdentifier: globalClusterIdentifier(cfg.appName),
        clusterIdentifier: names.dbCluster,
        subnetGroupName: names.dbSubnetGroup,
        parameterGroupName: names.dbParameterGroup,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        clientSecurityGroupId,
        kmsKeyArn: key.keyArn,
        engineVersion: AURORA_ENGINE_VERSION,
        instanceClass: DB_INSTANCE_CLASS,
        instances: db.instances,
        serverless: db.serverless,
        backupRetentionDays: DB_BACKUP_RETENTION_DAYS,
        monitoringRoleArn: monitoring.roleArn,
    }, opts);
}

/**
 * The bucket, replicating to the other regions' buckets where the plan says so; a recovery region of three or more
 * holds the role it will replicate as, standing by.
 */
function objectStore(base: RegionBase): { store?: ObjectStore; targetBuckets: readonly ReplicatedBucket[] } {
    const { name, cfg, plan, names, opts, accountId, inAccount, key, logs } = base;
    const objects = plan.objects;
    const roleFor = objects?.replicationRoleFor ?? objects?.replicateTo ?? [];
    const targets = roleFor.map((region) => ({
        bucketName: inAccount((account) => bucketName(cfg.appName, region, account)),
        kmsKeyAliasArn: inAccount((account) => kmsAliasArn(region, account, names.dataKeyAlias)),
        region,
    }));
    const store = objects && new ObjectStore(`${name}-objects`, {
        bucketName: inAccount((account) => bucketName(cfg.appName, cfg.region, account)),
        kmsKeyArn: key.keyArn,
        accessLogs: { bucket: logs.bucketName, prefix: `${S3_LOG_PREFIX}/data/` },
        noncurrentVersionDays: cfg.backupRetentionDays,
        replication: targets.length === 0 ? undefined : {
            roleName: names.replicationRole, kmsKeyAlias: names.dataKeyAlias, accountId, targets, rules: objects.replicateTo.length > 0,
        },
    }, opts);
    const replicated = objects?.replicateTo ?? [];
    return { store: store || undefined, targetBuckets: targets.filter((t) => replicated.includes(t.region)).map((t) => ({ region: t.region, bucketName: t.bucketName })) };
}
