/** One line of the doctor's report: zh-CN first, then English; a failure carries its fix. */
export interface Finding {
  ok: boolean;
  zh: string;
  en: string;
  /** What to do, for a failure. */
  fix?: { zh: string; en: string };
}

/** A passed check. */
export function pass(zh: string, en: string): Finding {
  return { ok: true, zh, en };
}

/** A failed check and how to fix it. */
export function fail(zh: string, en: string, fixZh: string, fixEn: string): Finding {
  return { ok: false, zh, en, fix: { zh: fixZh, en: fixEn } };
}

/** The report as text lines: `[ok]` or `[!!]`, the zh-CN text, then the English; fixes indented below. */
export function formatFindings(findings: Finding[]): string[] {
  return findings.flatMap((f) => [
    `${f.ok ? '[ok]' : '[!!]'} ${f.zh} | ${f.en}`,
    ...(f.fix ? [`     修复: ${f.fix.zh} | fix: ${f.fix.en}`] : []),
  ]);
}
