// The value schemas of the config contract: a raw string in, as Pulumi passes it, and a typed value or the
// reason it is not allowed out; and the patterns the schemas and the cross-key checks match values against.
// Pure: each schema judges one value alone (model/config/crossKey.ts judges keys together).
import { AWS_REGIONS, OTHER_PARTITION_REGIONS } from "../awsRegions";
import { EC2_INSTANCE_TYPES } from "../ec2InstanceTypes";
import { closest } from "./closest";

/** A refusal may say why, and suggest the value its fix sets instead of the key's example (the value meant, by its spelling). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why?: string; readonly suggest?: string };
export type Schema<T> = (raw: string) => Parsed<T>;

export const accept = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const refuse = (why?: string, suggest?: string): Parsed<never> => ({ ok: false, why, suggest });

export function oneOf<const V extends string>(values: readonly V[]): Schema<V> {
    return (raw) => ((values as readonly string[]).includes(raw) ? accept(raw as V) : refuse());
}

export function wholeNumber(min: number, max: number): Schema<number> {
    return (raw) => (/^-?\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max ? accept(Number(raw)) : refuse());
}

/**
 * A list of strings: a JSON array, as Pulumi passes a list set with `pulumi config set --path 'dr:key[0]' ...`,
 * or the items separated by commas (`--set` on the command line). Each item must match `pattern`.
 */
export function listOf(pattern: RegExp, what: string): Schema<readonly string[]> {
    return (raw) => {
        let items: unknown;
        try {
            items = raw.trim().startsWith("[") ? JSON.parse(raw) : raw.split(",").map((x) => x.trim()).filter((x) => x !== "");
        } catch {
            return refuse("it starts like a JSON list but is not one");
        }
        if (!Array.isArray(items) || items.some((x) => typeof x !== "string")) {
            return refuse("it is not a list of strings");
        }
        const bad = (items as string[]).filter((x) => !pattern.test(x));
        return bad.length > 0 ? refuse(`${bad.map((b) => JSON.stringify(b)).join(", ")} ${bad.length === 1 ? "is" : "are"} not ${what}`) : accept(items as string[]);
    };
}

/**
 * A Pulumi stack name as this program's stack files use it (Pulumi.<stack>.yaml): letters, digits, `-`, `_`
 * and `.` (Pulumi's own rule for stack names).
 */
export const STACK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * `dr:portfolioApps`: the apps' dr stacks, each with its wave, as "<dr stack>:<wave>" (wave 1 when left out).
 * Each item is judged alone here (a name and a positive whole wave); a stack listed twice, or one without a
 * stack file, is the portfolio's check (model/portfolio/checks.ts).
 */
export const portfolioAppsSchema: Schema<readonly string[]> = (raw) => {
    const list = listOf(/./, "")(raw);
    if (!list.ok) {
        return list;
    }
    const bad = list.value.flatMap((item) => {
        const [stack, wave, ...rest] = item.split(":");
        if (rest.length > 0 || !STACK_NAME_PATTERN.test(stack)) {
            return [`${JSON.stringify(item)} is not "<dr stack>:<wave>"`];
        }
        return wave === undefined || /^[1-9]\d{0,2}$/.test(wave) ? [] : [`${JSON.stringify(item)}: the wave ${JSON.stringify(wave)} is not a positive whole number (1-999)`];
    });
    return bad.length > 0 ? refuse(bad.join("; ")) : list;
};

/** `dr:regions`: a list of Regions, each as aws:region's schema judges one (a misspelling names the Region meant). */
export const regionListSchema: Schema<readonly string[]> = (raw) => {
    const list = listOf(/./, "")(raw);
    if (!list.ok) {
        return list;
    }
    const bad = list.value.flatMap((r) => {
        const one = regionSchema(true)(r);
        return one.ok ? [] : [`${JSON.stringify(r)}: ${one.why ?? "not a Region of the aws partition"}`];
    });
    return bad.length > 0 ? refuse(bad.join("; ")) : list;
};

export const trueOrFalse: Schema<boolean> = (raw) => (raw === "true" || raw === "false" ? accept(raw === "true") : refuse());

export function matching(pattern: RegExp): Schema<string> {
    return (raw) => (pattern.test(raw) ? accept(raw) : refuse());
}

/** A schema that explains its refusals: `problem` says why a value is wrong, or undefined. */
export function explained(problem: (raw: string) => string | undefined): Schema<string> {
    return (raw) => {
        const why = problem(raw);
        return why === undefined ? accept(raw) : refuse(why);
    };
}

/**
 * A Region of the aws partition, as @pulumi/aws knows them (model/awsRegions.ts, copied from its Region enum).
 * Only the aws partition in this release: the ARNs the program builds name it (arn:aws:...), and the recovery
 * path is reasoned for its global services, whose control planes are in us-east-1 (docs/reference.md, "Control
 * planes and data planes"). A Region of another partition is refused as such; any other name as no Region,
 * with the Region it is a misspelling of where `guess` (aws:region's fix sets the stack's own region instead).
 */
export function regionSchema(guess: boolean): Schema<string> {
    return (raw) => {
        if (AWS_REGIONS.includes(raw)) {
            return accept(raw);
        }
        const partition = OTHER_PARTITION_REGIONS[raw];
        if (partition !== undefined) {
            return refuse(`${raw} is a Region of the ${partition} partition, which this release does not support: it deploys to the aws partition ` +
                "only (the ARNs it builds name the aws partition, and its recovery path is reasoned for the aws partition's global control planes, in us-east-1)");
        }
        const near = closest(raw, AWS_REGIONS);
        return guess && near.close ? refuse(`${raw} is not one: did you mean ${near.value}?`, near.value) : refuse(`${raw} is not one`);
    };
}

const APP_NAME_PATTERN = /^[a-z](?!.*--)[a-z0-9-]{0,14}[a-z0-9]$/;

/**
 * The app's name: the pattern, and none AWS would refuse in a name derived from it. Every physical name starts
 * with it: an ALB's name may not begin with `internal-` (`<app>-<code>-alb`), and S3 reserves bucket names
 * beginning with `sthree-` and `amzn-s3-demo-` (`<app>-data-...`, `<app>-logs-...`) (ELB and S3 naming rules).
 * S3's third reserved prefix, `xn--`, the pattern refuses (no double hyphen). S3's reserved suffixes (`-s3alias`,
 * `--ol-s3`, `.mrap`, `--x-s3`, `--table-s3`) need no check: no bucket name ends with the app name, each ends
 * with its region (model/naming.ts), whose last character is a digit.
 */
export const appNameSchema: Schema<string> = (raw) => {
    if (!APP_NAME_PATTERN.test(raw)) {
        return refuse();
    }
    const reserved = [["internal", "an ALB's name may not begin with internal-"], ["sthree", "S3 reserves bucket names beginning with sthree-"],
        ["amzn-s3-demo", "S3 reserves bucket names beginning with amzn-s3-demo-"]] as const;
    const hit = reserved.find(([prefix]) => raw === prefix || raw.startsWith(`${prefix}-`));
    return hit ? refuse(`AWS would refuse the names made from it: ${hit[1]}`) : accept(raw);
};
/** Route 53 hosted zone ids: a Z and up to 31 capitals or digits. */
export const ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;
export const DNS_NAME_PATTERN = /^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/;
const INSTANCE_TYPES: ReadonlySet<string> = new Set(EC2_INSTANCE_TYPES);

/**
 * An EC2 instance type @pulumi/aws knows (model/ec2InstanceTypes.ts, copied from its ec2.InstanceType enum). Any
 * other value is refused naming the nearest type; the fix sets that one where it is close enough to be the one
 * meant, and the example otherwise (a far guess could be any size: a fix should not launch one blindly).
 */
export const instanceTypeSchema: Schema<string> = (raw) => {
    if (INSTANCE_TYPES.has(raw)) {
        return accept(raw);
    }
    const near = closest(raw, EC2_INSTANCE_TYPES);
    return near.close ? refuse(`${raw} is not one: did you mean ${near.value}?`, near.value)
        : refuse(`${raw} is not one, nor close to one (the nearest is ${near.value})`);
};
/**
 * An Aurora cluster snapshot ARN: partition, region, account, then an RDS identifier (a letter, then
 * letters, digits and single hyphens, at most 255) or AWS Backup's `awsbackup:<job id>`. Nothing else:
 * the runbook prints this value in a command for a person to run.
 */
export const SNAPSHOT_ARN_PATTERN =
    /^arn:aws(?:-cn|-us-gov)?:rds:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:cluster-snapshot:(?:awsbackup:)?[a-zA-Z](?:-?[a-zA-Z0-9]){0,254}$/;
/** An ACM certificate ARN; the region is captured (it must be the stack's: an ALB uses a certificate of its own region). */
export const CERTIFICATE_ARN_PATTERN = /^arn:aws(?:-cn|-us-gov)?:acm:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:certificate\/[0-9a-f-]{36}$/;
/** An AMI id: ami- and 8 or 17 hex digits. */
export const AMI_ID_PATTERN = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** An SSM parameter name, as a path (AWS's public image parameters are /aws/service/...). */
export const SSM_PARAMETER_PATTERN = /^\/[a-zA-Z0-9_.\-/]{1,1010}$/;
/** A project-relative path: no absolute path, no "..", no shell characters (the README's commands quote it anyway). */
export const RELATIVE_PATH_PATTERN = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9_.\-/]{1,255}$/;
export const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** An IAM principal that may assume a role: an account root, a role or a user (no wildcards: IAM refuses them in a trust policy). */
export const PRINCIPAL_ARN_PATTERN = /^arn:aws(?:-cn|-us-gov)?:(?:iam::\d{12}:(?:root|role\/[\w+=,.@\/-]{1,512}|user\/[\w+=,.@\/-]{1,512})|sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{2,64})$/;
/** An SNS topic ARN; the region is captured (a CloudWatch alarm notifies topics of its own region). */
export const TOPIC_ARN_PATTERN = /^arn:aws(?:-cn|-us-gov)?:sns:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
/** An ElastiCache Global Datastore id: AWS's region prefix, a hyphen, the suffix (letters, digits, hyphens). */
export const GLOBAL_DATASTORE_ID_PATTERN = /^[a-z]{5}-[a-z0-9][a-z0-9-]{0,39}$/;
