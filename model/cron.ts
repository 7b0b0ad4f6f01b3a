// AWS Backup's schedule expressions, checked the way AWS reads them: cron(minutes hours day-of-month month
// day-of-week year), each field a value, a range, a step or a list (EventBridge's cron syntax). A pattern
// match is not enough: cron(0 99 * * ? *) matches one and is refused by AWS Backup; cron(0 5 31 2 ? *)
// is accepted and never runs.

import { HOUR } from "./reference";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
/** The most days each month can have (February in a leap year). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface Field {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    /** Names that stand for numbers (JAN = 1, SUN = 1). */
    readonly names?: readonly string[];
}

const FIELDS = {
    hour: { name: "hour", min: 0, max: 23 },
    dayOfMonth: { name: "day of month", min: 1, max: 31 },
    month: { name: "month", min: 1, max: 12, names: MONTHS },
    dayOfWeek: { name: "day of week", min: 1, max: 7, names: DAYS },
    year: { name: "year", min: 1970, max: 2199 },
} as const satisfies Record<string, Field>;

/** A number or a name of the field, as a number; a reason it is neither. */
function value(text: string, f: Field): number | string {
    const named = f.names?.indexOf(text.toUpperCase()) ?? -1;
    if (named >= 0) {
        return named + 1;
    }
    if (!/^\d+$/.test(text)) {
        return `${f.name} "${text}" is not a number${f.names ? ` or a name (${f.names[0]}-${f.names[f.names.length - 1]})` : ""}`;
    }
    const n = Number(text);
    return n < f.min || n > f.max ? `${f.name} ${n} is not ${f.min}-${f.max}` : n;
}

/**
 * The values a field selects, or the reason it is not a valid field. `*` selects all; a/k: every k-th
 * from a; a-b: a range; lists of those. `specials` are the field's own tokens (L, W, #), accepted as they
 * are and reported as undefined (not enumerable).
 */
function expand(text: string, f: Field, specials?: RegExp): Set<number> | undefined | string {
    if (text === "*") {
        return new Set(Array.from({ length: f.max - f.min + 1 }, (_, i) => f.min + i));
    }
    const out = new Set<number>();
    let enumerable = true;
    for (const part of text.split(",")) {
        if (specials?.test(part)) {
            enumerable = false;
            continue;
        }
        const m = /^([^/-]+)(?:-([^/]+))?(?:\/(\d+))?$/.exec(part);
        if (!m) {
            return `${f.name} "${part}" is not a value, a range a-b or a step a/k`;
        }
        const from = m[1] === "*" ? f.min : value(m[1], f);
        const to = m[2] === undefined ? (m[3] !== undefined ? f.max : from) : value(m[2], f);
        if (typeof from === "string") return from;
        if (typeof to === "string") return to;
        const step = m[3] === undefined ? 1 : Number(m[3]);
        if (step < 1 || to < from) {
            return `${f.name} "${part}" selects nothing`;
        }
        for (let v = from; v <= to; v += step) out.add(v);
    }
    return enumerable ? out : undefined;
}

/** Why an AWS Backup cron expression is not one this program accepts, or undefined when it is. */
export function backupCronProblem(expression: string): string | undefined {
    const m = /^cron\((.*)\)$/.exec(expression.trim());
    if (!m) {
        return "it is not of the form cron(minutes hours day-of-month month day-of-week year)";
    }
    const fields = m[1].trim().split(/\s+/);
    if (fields.length !== 6) {
        return `it has ${fields.length} fields, not 6 (minutes hours day-of-month month day-of-week year)`;
    }
    const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields;
    if (!/^\d{1,2}$/.test(minute) || Number(minute) > 59) {
        return `minutes "${minute}" is not one minute 0-59 (AWS Backup runs at most hourly)`;
    }
    if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
        return "exactly one of day-of-month and day-of-week must be ? (AWS cron cannot restrict both, nor leave both open)";
    }
    const hours = expand(hour, FIELDS.hour);
    if (typeof hours === "string") return hours;
    const months = expand(month, FIELDS.month);
    if (typeof months === "string") return months;
    const years = expand(year, FIELDS.year);
    if (typeof years === "string") return years;
    if (dayOfWeek !== "?") {
        const days = expand(dayOfWeek, FIELDS.dayOfWeek, /^([1-7]|[A-Za-z]{3})?L$|^([1-7]|[A-Za-z]{3})#[1-5]$/);
        if (typeof days === "string") return days;
        return undefined;
    }
    const days = expand(dayOfMonth, FIELDS.dayOfMonth, /^(L|LW|\d{1,2}W)$/);
    if (typeof days === "string") return days;
    if (days !== undefined && months !== undefined) {
        const occurs = [...months].some((mo) => [...days].some((d) => d <= DAYS_IN_MONTH[mo - 1]));
        if (!occurs) {
            const names = [...months].map((mo) => MONTHS[mo - 1]).join(",");
            return `day ${[...days].join(",")} never comes in ${names}: the plan would never run`;
        }
    }
    return undefined;
}

/**
 * The longest gap between two runs of an AWS Backup cron expression, cron(min hour day-of-month month
 * day-of-week year). The hour field decides it (`*`, `* /k`, a list or a single hour); a restricted day
 * field makes it weekly at best, which the model takes as the conservative gap.
 */
export function backupIntervalSeconds(cron: string): number {
    const fields = cron.replace(/^cron\(|\)$/g, "").trim().split(/\s+/);
    const [, hour, dayOfMonth, , dayOfWeek] = fields;
    const everyDay = (dayOfMonth === "*" || dayOfMonth === "?") && (dayOfWeek === "*" || dayOfWeek === "?");
    if (!everyDay) {
        return 7 * 24 * HOUR;
    }
    if (hour === "*") {
        return HOUR;
    }
    const step = hour.match(/^(?:\*|\d+)\/(\d+)$/);
    if (step) {
        return Number(step[1]) * HOUR;
    }
    const hours = hour.split(",").map((h) => Number(h.split("-")[0])).filter((h) => !Number.isNaN(h)).sort((a, b) => a - b);
    if (hour.includes("-") || hours.length === 0) {
        return HOUR; // a range of hours runs hourly within it; the gap around it is not modelled
    }
    const gaps = hours.map((h, i) => ((i + 1 < hours.length ? hours[i + 1] : hours[0] + 24) - h));
    return Math.max(...gaps) * HOUR;
}
