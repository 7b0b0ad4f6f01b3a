// The app a region runs: its image and its user data, from config (dr:imageId or dr:imageParameter,
// dr:userDataFile), or the placeholder. The user data file is read at preview, so a missing or oversized
// file fails `pulumi preview` with the key named, before any resource exists.
import * as fs from "fs";
import * as path from "path";
import type { ConfigProblem, DrConfig } from "./config";
import type { PolicyDocument } from "./policies/iamPolicy";
import { configRmCommand, configSetCommand } from "./tooling/shell";
import { PROJECT_ROOT } from "./tooling/stackFiles";

/**
 * Amazon Linux 2023, resolved by EC2 at launch from AWS's public parameter: no AMI lookup (an invoke) at
 * preview time, and always the current image in whichever region the template is used.
 */
export const DEFAULT_IMAGE_ID = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/** EC2 takes at most 16 KB of user data, before its base64 encoding. */
export const USER_DATA_MAX_BYTES = 16 * 1024;

/** The launch template's image: the AMI id, an SSM parameter EC2 resolves in the template's region at launch, or the default. */
export function launchImage(cfg: Pick<DrConfig, "imageId" | "imageParameter">): string {
    if (cfg.imageId !== undefined) {
        return cfg.imageId;
    }
    return cfg.imageParameter !== undefined ? `resolve:ssm:${cfg.imageParameter}` : DEFAULT_IMAGE_ID;
}

export type UserData =
    | { readonly ok: true; readonly text?: string }
    | { readonly ok: false; readonly problem: ConfigProblem };

/** The user data file's text (undefined: the placeholder), or the problem with it, naming the key and the fix. */
/** The path a fix suggests (the contract's example for dr:userDataFile). */
const CONTRACT_EXAMPLE = "app/user-data.sh";

export function readUserData(cfg: Pick<DrConfig, "userDataFile">, stack: string, root = PROJECT_ROOT): UserData {
    const file = cfg.userDataFile;
    if (file === undefined) {
        return { ok: true };
    }
    const full = path.join(root, file);
    const problem = (message: string, fix: string): UserData => ({ ok: false, problem: { key: "dr:userDataFile", value: file, message, fix } });
    const fix = `create ${file}, or ${configRmCommand("dr:userDataFile", stack)} for the placeholder app`;
    let stat: fs.Stats;
    try {
        stat = fs.statSync(full);
    } catch {
        return problem(`names no file: ${full} does not exist`, fix);
    }
    if (!stat.isFile()) {
        return problem(`is not a file: ${full} is a directory or a device`, fix);
    }
    // The file is the project's own: not git's internals, and not a link that leads out of the project (its text
    // becomes every instance's user data, readable to anyone who may describe the launch template).
    if (file.split("/").includes(".git")) {
        return problem("is inside .git/, git's own files, not the app's", configSetCommand("dr:userDataFile", CONTRACT_EXAMPLE, stack));
    }
    const real = fs.realpathSync(full);
    const inside = path.relative(fs.realpathSync(root), real);
    if (inside.startsWith("..") || path.isAbsolute(inside)) {
        return problem(`leads out of the project (through a link) to ${real}: user data must be a file of the project`,
            configSetCommand("dr:userDataFile", CONTRACT_EXAMPLE, stack));
    }
    if (stat.size > USER_DATA_MAX_BYTES) {
        return problem(`is ${stat.size} bytes; EC2 takes at most ${USER_DATA_MAX_BYTES} bytes of user data: fetch the rest at boot (from S3, say)`,
            configSetCommand("dr:userDataFile", "<a smaller file>", stack));
    }
    return { ok: true, text: fs.readFileSync(full, "utf8") };
}

/** The database user the app signs in as with IAM tokens (created once in PostgreSQL: `CREATE USER app; GRANT rds_iam TO app;`). */
export const APP_DB_USER = "app";

export interface AppRoleScope {
    readonly accountId: string;
    readonly region: string;
    /** The region's name prefix: the app may read the SSM parameters under `/<prefix>/`. */
    readonly prefix: string;
    readonly kmsKeyArn: string;
}

/**
 * What the app's instances may do, in their own region only: read the parameters under `/<prefix>/` (the
 * cache's AUTH token), decrypt them through SSM with the region's key, and sign in to any Aurora cluster of
 * the region as APP_DB_USER. Every resource is named, not computed: a cluster restored on the day has a new
 * resource id, and the failover deploy must not change an IAM policy (the recovery path, README).
 */
export function appInstancePolicy(scope: AppRoleScope): PolicyDocument {
    const { accountId, region, prefix, kmsKeyArn } = scope;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadOwnParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: `arn:aws:ssm:${region}:${accountId}:parameter/${prefix}/*` },
            {
                Sid: "DecryptThroughSsm", Effect: "Allow", Action: "kms:Decrypt", Resource: kmsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `ssm.${region}.amazonaws.com` } },
            },
            { Sid: "SignInToAurora", Effect: "Allow", Action: "rds-db:connect", Resource: `arn:aws:rds-db:${region}:${accountId}:dbuser:*/${APP_DB_USER}` },
        ],
    };
}
