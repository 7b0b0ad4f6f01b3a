// Two AWS SDK v3 clients the restore check uses (functions/restoreCheck.ts) that the project does not depend
// on: the Lambda runtime provides them (nodejs24.x carries the SDK v3), and nothing else here calls AWS Backup
// or S3. So the few commands and fields the check uses are declared here, with the SDK's names, for the
// type-check. tests/functions.test.ts fails once either package is installed: delete its block then, since a
// declared module takes precedence over the package's own types.

declare module "@aws-sdk/client-backup" {
    /** A command: its input, and (never set, as in the SDK's generics) the output `send` resolves to. */
    interface Command<Input, Output> {
        readonly input: Input;
        readonly __output?: Output;
    }

    export class BackupClient {
        constructor(config: object);
        send<Output>(command: Command<unknown, Output>): Promise<Output>;
    }

    export interface RestoreJobsListMember {
        readonly RestoreJobId?: string;
        readonly ResourceType?: string;
        readonly Status?: string;
        readonly ValidationStatus?: string;
        readonly CreationDate?: Date;
        readonly CompletionDate?: Date;
    }

    export interface ListRestoreJobsInput {
        readonly ByRestoreTestingPlanArn?: string;
        readonly ByStatus?: string;
        readonly ByCreatedAfter?: Date;
        readonly NextToken?: string;
    }
    export interface ListRestoreJobsOutput {
        readonly RestoreJobs?: RestoreJobsListMember[];
        readonly NextToken?: string;
    }
    export class ListRestoreJobsCommand implements Command<ListRestoreJobsInput, ListRestoreJobsOutput> {
        constructor(input: ListRestoreJobsInput);
        readonly input: ListRestoreJobsInput;
        readonly __output?: ListRestoreJobsOutput;
    }

    export interface GetRestoreTestingPlanInput {
        readonly RestoreTestingPlanName: string;
    }
    export interface GetRestoreTestingPlanOutput {
        readonly RestoreTestingPlan?: { readonly CreationTime?: Date };
    }
    export class GetRestoreTestingPlanCommand implements Command<GetRestoreTestingPlanInput, GetRestoreTestingPlanOutput> {
        constructor(input: GetRestoreTestingPlanInput);
        readonly input: GetRestoreTestingPlanInput;
        readonly __output?: GetRestoreTestingPlanOutput;
    }

    export interface DescribeRestoreJobInput {
        readonly RestoreJobId: string;
    }
    export interface DescribeRestoreJobOutput {
        readonly BackupSizeInBytes?: number;
    }
    export class DescribeRestoreJobCommand implements Command<DescribeRestoreJobInput, DescribeRestoreJobOutput> {
        constructor(input: DescribeRestoreJobInput);
        readonly input: DescribeRestoreJobInput;
        readonly __output?: DescribeRestoreJobOutput;
    }

    export type RestoreValidationStatus = "FAILED" | "SUCCESSFUL" | "TIMED_OUT" | "VALIDATING";
    export interface PutRestoreValidationResultInput {
        readonly RestoreJobId: string;
        readonly ValidationStatus: RestoreValidationStatus;
        readonly ValidationStatusMessage?: string;
    }
    export class PutRestoreValidationResultCommand implements Command<PutRestoreValidationResultInput, object> {
        constructor(input: PutRestoreValidationResultInput);
        readonly input: PutRestoreValidationResultInput;
        readonly __output?: object;
    }
}

declare module "@aws-sdk/client-s3" {
    interface Command<Input, Output> {
        readonly input: Input;
        readonly __output?: Output;
    }

    export class S3Client {
        constructor(config: object);
        send<Output>(command: Command<unknown, Output>): Promise<Output>;
    }

    export interface ListObjectsV2Input {
        readonly Bucket: string;
        readonly MaxKeys?: number;
    }
    export interface ListObjectsV2Output {
        readonly KeyCount?: number;
    }
    export class ListObjectsV2Command implements Command<ListObjectsV2Input, ListObjectsV2Output> {
        constructor(input: ListObjectsV2Input);
        readonly input: ListObjectsV2Input;
        readonly __output?: ListObjectsV2Output;
    }
}
