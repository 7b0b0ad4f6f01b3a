// The nearest of some names to a value: what a refusal names when a value is a misspelling of one (a Region,
// an instance type, a key). Pure, and small on purpose: the schemas and the unknown-key check both use it.

/** Edit distance of two strings, case-insensitive (the usual typo is a case or one letter). */
function distance(a: string, b: string): number {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    const row = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= y.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] === y[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[y.length];
}

/**
 * The candidate closest to a value (the first of equals, in the candidates' order), and whether it is close
 * enough to be the one meant: a case or a letter or two, more in a longer value.
 */
export function closest(value: string, candidates: readonly string[]): { readonly value: string; readonly close: boolean } {
    let best = { value: candidates[0], d: Infinity };
    for (const candidate of candidates) {
        const d = distance(value, candidate);
        if (d < best.d) {
            best = { value: candidate, d };
        }
    }
    return { value: best.value, close: best.d <= Math.max(2, Math.floor(value.length / 4)) };
}
