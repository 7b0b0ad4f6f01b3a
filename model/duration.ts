// Seconds as people read them, in the plan's text and drawings: "1 h 25 min 30 s". Pure.

/** Seconds as the plan prints them: "45 s", "55 min", "1 h 25 min 30 s". */
export function duration(seconds: number): string {
    if (seconds < 60) return `${seconds} s`;
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return [h ? `${h} h` : "", m ? `${m} min` : "", s ? `${s} s` : ""].filter(Boolean).join(" ");
}
