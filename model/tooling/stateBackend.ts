// Where the dr stack's state lives decides whether `pulumi up -s dr` can run on the day the primary region is
// lost: state in that region (an S3 bucket there, say) is gone with it. Pulumi Cloud, or a self-managed
// backend in the dr region, keeps it (docs/deploying.md, "Where the state lives").

export interface StateBackend {
    readonly url: string;
    /** Where the URL came from, for the warning. */
    readonly source: "PULUMI_BACKEND_URL" | "Pulumi.yaml backend.url";
}

/**
 * The backend the Pulumi CLI uses: PULUMI_BACKEND_URL wins over Pulumi.yaml's backend.url. Undefined: neither
 * is set, so it is whatever `pulumi login` chose (Pulumi Cloud by default), which this program cannot see.
 */
export function stateBackend(env: Readonly<Record<string, string | undefined>>, projectUrl: string | undefined): StateBackend | undefined {
    const fromEnv = env.PULUMI_BACKEND_URL?.trim();
    if (fromEnv) {
        return { url: fromEnv, source: "PULUMI_BACKEND_URL" };
    }
    return projectUrl ? { url: projectUrl, source: "Pulumi.yaml backend.url" } : undefined;
}

/**
 * A warning when the state backend names the primary region (an S3 bucket, query or endpoint with the region
 * in its URL): the failover's `pulumi up -s dr` needs that state while the region is gone. Undefined when it
 * does not; a URL that names no region cannot be judged from here and gets no warning.
 */
export function backendWarning(backend: StateBackend | undefined, primaryRegion: string): string | undefined {
    if (backend === undefined || !new RegExp(`${primaryRegion}(?![0-9])`).test(backend.url)) {
        return undefined;
    }
    return `the state backend ${backend.url} (${backend.source}) names the primary region ${primaryRegion}: if that region is lost, ` +
        "so is the dr stack's state, and pulumi up -s dr cannot run. Keep it in Pulumi Cloud or in a backend in the dr region " +
        "(docs/deploying.md, \"Where the state lives\")";
}
