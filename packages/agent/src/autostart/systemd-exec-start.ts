/**
 * The words of an `ExecStart=` value as systemd reads them (systemd.service(5), "Command lines"): split at spaces,
 * double or single quotes around a word, C escapes (`\\`, `\"`, `\'`, `\n`, `\t`, `\s`, `\xHH`), `%%` for a
 * percent sign, and in the arguments `$$` for a dollar sign. Returns undefined for anything it cannot resolve
 * without the running manager (another specifier, a variable, a command prefix): such a line cannot be proved to
 * run a given path, which is what doctor checks with it.
 */
export function parseExecStart(value: string): string[] | undefined {
  const words: string[] = [];
  let at = 0;
  while (at < value.length) {
    if (value[at] === ' ') {
      at++;
      continue;
    }
    let word = '';
    let quote: string | undefined;
    for (; at < value.length && (quote !== undefined || value[at] !== ' '); at++) {
      const c = value[at]!;
      if (quote === undefined && (c === '"' || c === "'")) quote = c;
      else if (c === quote) quote = undefined;
      else if (c === '\\') {
        const escaped = unescape(value, at);
        if (!escaped) return undefined;
        word += escaped.text;
        at += escaped.length - 1;
      } else if (c === '%' || (c === '$' && words.length > 0)) {
        if (value[at + 1] !== c) return undefined;
        word += c;
        at++;
      } else word += c;
    }
    if (quote !== undefined) return undefined;
    if (words.length === 0 && !word.startsWith('/')) return undefined;
    words.push(word);
  }
  return words.length > 0 ? words : undefined;
}

const SIMPLE: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r', s: ' ' };

function unescape(value: string, at: number): { text: string; length: number } | undefined {
  const next = value[at + 1];
  if (next !== undefined && SIMPLE[next] !== undefined) return { text: SIMPLE[next], length: 2 };
  const hex = /^x([0-9a-fA-F]{2})/.exec(value.slice(at + 1));
  return hex ? { text: String.fromCharCode(parseInt(hex[1]!, 16)), length: 4 } : undefined;
}
