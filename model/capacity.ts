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
 * Active-active: the regions that survive a lost one must absorb all traffic, so by default each region runs
 * N / (regions - 1), rounded up: the full N in each of two regions (docs/reference.md: "one region must be able
 * to absorb all traffic"), N / 2 in each of three, whose two survivors carry N between them. A team that accepts
 * a scale-up during a regional failure can run a share of that (50-100 %): the survivors then grow, each up to
 * max N, which takes the 2-5 minutes a new instance needs (docs/reference.md, "EC2 Auto Scaling").
 */
export function activeActiveCapacity(n: number, percent: number, regions = 2): Capacity {
    const share = Math.ceil(n / Math.max(1, regions - 1));
    const k = Math.max(1, Math.ceil((share * percent) / 100));
    return { min: k, desired: k, max: n };
}
