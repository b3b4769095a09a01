// The issues' targets (9: the agent, 11: verification), each a ratio to the raw path of the same run where the issue gives one, and how to print them.

export interface Target {
  name: string;
  value: number;
  /** `max`: value must be at most limit; `min`: at least. */
  kind: 'max' | 'min';
  limit: number;
  unit: string;
  holds: boolean;
}

export function target(name: string, value: number, kind: 'max' | 'min', limit: number, unit: string): Target {
  const holds = Number.isFinite(value) && (kind === 'max' ? value <= limit : value >= limit);
  return { name, value, kind, limit, unit, holds };
}

/** A number for the table: `digits` decimals, thousands grouped. */
export function fmt(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
}

/** One line per target: `[ok]` or `[!!]`, the value and the limit. */
export function targetLines(targets: readonly Target[]): string[] {
  const width = Math.max(...targets.map((t) => t.name.length));
  return targets.map((t) => {
    const digits = t.unit === '/s' ? 0 : t.unit === '×' || t.unit === '' ? 2 : t.unit === '%' ? 1 : t.unit === 'MiB' ? 1 : t.unit === 'ms' && t.value >= 100 ? 0 : 2;
    const value = `${fmt(t.value, digits)}${t.unit === '%' ? ' %' : t.unit ? ` ${t.unit}` : ''}`;
    const limit = `${t.kind === 'max' ? '≤' : '≥'} ${fmt(t.limit, Number.isInteger(t.limit) ? 0 : 1)}${t.unit === '%' ? ' %' : t.unit ? ` ${t.unit}` : ''}`;
    return `  ${t.holds ? '[ok]' : '[!!]'} ${t.name.padEnd(width)}  ${value.padStart(12)}   target ${limit}`;
  });
}
