// The traffic fence's custom action in the ARC Region switch plan (model/regionSwitch.ts): closes the fence of
// the primary's record on a failover, opens it on a failback, with the requests the runbook's setFence sends
// (functions/requests.ts). Which fence and which way are in the function's environment, so the close and the
// open functions run this one code.
import { CloudWatchClient, PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { fenceActionOf } from "../model/regionSwitch";
import { fenceDatapointRequest, fenceStateRequest } from "./requests";

// Made on the first invocation and kept for the next ones (Lambda reuses the process between invocations).
// Loading the module makes no client, so it loads anywhere: a test, with stand-ins for the SDK.
let cloudwatch: CloudWatchClient | undefined;

export async function handler(): Promise<{ fence: "closed" | "open" }> {
    const { fence, closed } = fenceActionOf(process.env);
    cloudwatch ??= new CloudWatchClient({});
    await cloudwatch.send(new PutMetricDataCommand(fenceDatapointRequest(fence, closed, new Date())));
    await cloudwatch.send(new SetAlarmStateCommand(fenceStateRequest(fence, closed,
        closed ? "ARC Region switch: failover closes the fence" : "ARC Region switch: failback opens the fence")));
    return { fence: closed ? "closed" : "open" };
}
