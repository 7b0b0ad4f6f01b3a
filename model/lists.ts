// What the config checks ask of a list: which values it holds more than once. Pure.

/** The values listed more than once, each once, in the order of their first repeat. */
export function repeated<T>(items: readonly T[]): T[] {
    return [...new Set(items.filter((item, i) => items.indexOf(item) !== i))];
}
