export type Step = { ok: true; value: string } | { ok: false; why: string };
export function electronBinary(options?: { download?: boolean }): Step;
export function electronSqliteBinding(): Step;
