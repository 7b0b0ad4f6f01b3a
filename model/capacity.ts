// App-tier capacity per tier: the number that most decides a tier's RTO and its cost.
// Fractions and floors come from docs/reference.md, "Tiers (rule of thumb)".

/** An Auto Scaling group's size. */
export interface Capacity {
    readonly min: number;
    readonly desired: number;
    readonly max: number;
}

/** Full production capacity: N instances, as the primary region runs and a promoted DR region must. */
export function fullCapacity(n: number): Capacity {
    return { min: n, desired: n, max: n };
}

/** An ASG defined but empty (min 0 / desired 0); max N so that a failover only raises min and desired. */
export function emptyCapacity(n: number): Capacity {
    return { min: 0, desired: 0, max: n };
}

/** Pilot light keeps the ASG defined but empty (docs/reference.md: "ASG at min 0"). */
export function pilotLightCapacity(n: number): Capacity {
    return emptyCapacity(n);
}

/**
 * Warm standby runs the app tier at a quarter of production, at least one instance, so the region is
 * proven to serve before a failover (docs/reference.md: "app servers at N/4").
 */
export function warmStandbyInstances(n: number): number {
    return Math.max(1, Math.ceil(n / 4));
}

export function warmStandbyCapacity(n: number): Capacity {
    const k = warmStandbyInstances(n);
    return { min: k, desired: k, max: n };
}

/**
 * The instances one region of an active-active set must run once another region is lost: its own share of N and
 * what it takes of the lost one's. Of two regions, the survivor takes everything: N (docs/reference.md: "one region
 * must be able to absorb all traffic"). Of more, equal weighted records spread the lost weight over the survivors
 * (N / (regions - 1) each); latency records send each user to the nearest healthy region, so the lost region's
 * users may all land in one survivor, which then carries two regions' shares (2N / regions). Rounded up.
 */
export function survivorInstances(n: number, regions: number, routing: "latency" | "weighted"): number {
    const k = Math.max(2, regions);
    return routing === "weighted" ? Math.ceil(n / (k - 1)) : Math.ceil((2 * n) / k);
}

/**
 * Active-active: by default each region runs what it must carry once another is lost (survivorInstances): the full
 * N in each of two regions, and of three, N/2 each with weighted records or 2N/3 with latency records. A team that
 * accepts a scale-up during a regional failure can run a share of that (50-100 %): the survivors then grow, each up
 * to max N, which takes the 2-5 minutes a new instance needs (docs/reference.md, "EC2 Auto Scaling").
 */
export function activeActiveCapacity(n: number, percent: number, regions = 2, routing: "latency" | "weighted" = "latency"): Capacity {
    const k = Math.max(1, Math.ceil((survivorInstances(n, regions, routing) * percent) / 100));
    return { min: k, desired: k, max: n };
}
