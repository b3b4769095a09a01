/**
 * Keyboard walks: keys pressed one after another along a line of the keyboard ("qwerty", "asdf", "zxcv", "7890"),
 * down or up its slanted columns ("1qaz", "2wsx", "zaq1"), or along its other diagonal ("zse4"), in either
 * direction; and the same on the numeric keypad ("147", "258", "159"). Such passwords look random but top every
 * leaked-password list. The layout is the one Chinese keyboards share with US ones.
 */

/** Where each key sits (row, place in the row), and which moves (rows down, places along) reach a neighbour. */
interface Layout {
  readonly keys: ReadonlyMap<string, readonly [number, number]>;
  readonly moves: ReadonlySet<string>;
}

function layout(rows: readonly string[], moves: readonly string[]): Layout {
  return { keys: new Map(rows.flatMap((row, r) => Array.from(row, (key, c) => [key, [r, c] as const]))), moves: new Set(moves) };
}

/**
 * The main keys. A row's keys sit between two of the row above, so "1qaz" is one column: six neighbours, right
 * and left (q → w, w → q), down the column and back up (q → a, a → q), down to the left and back (w → a, a → w).
 */
const MAIN = layout(['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'], ['0,1', '0,-1', '1,0', '-1,0', '1,-1', '-1,1']);

/**
 * The numeric keypad, 7 8 9 on top and 0 under 1: a square grid, so up and down ("147", "741") and both diagonals
 * ("159", "357", "951", "753"). Its rows ("789") are pieces of the main digit row, walks there already.
 */
const KEYPAD = layout(['789', '456', '123', '0'], ['1,0', '-1,0', '1,1', '-1,-1', '1,-1', '-1,1']);

/** The move from key `a` to key `b` on `on`, or undefined when they are not neighbours there. */
function move(on: Layout, a: string, b: string): string | undefined {
  const from = on.keys.get(a);
  const to = on.keys.get(b);
  if (!from || !to) return undefined;
  const step = `${to[0] - from[0]},${to[1] - from[1]}`;
  return on.moves.has(step) ? step : undefined;
}

/** Whether the whole of `part` (2 keys or more) is one walk on `on`: every move the same move between neighbours. */
function isWalkOn(on: Layout, part: string): boolean {
  const first = move(on, part.charAt(0), part.charAt(1));
  if (first === undefined) return false;
  for (let i = 2; i < part.length; i++) if (move(on, part.charAt(i - 1), part.charAt(i)) !== first) return false;
  return true;
}

/** Whether the whole of `part` (2 keys or more) is one walk, on the main keys or on the keypad. */
export function isWalk(part: string): boolean {
  return isWalkOn(MAIN, part) || isWalkOn(KEYPAD, part);
}

/** Whether `part` splits into walks of 3 keys or more, one after another ("1qaz" + "2wsx", "qwe" + "rfv"). */
function walksAllAlong(part: string): boolean {
  const splits = [true];
  for (let end = 1; end <= part.length; end++) {
    splits[end] = false;
    for (let start = end - 3; start >= 0 && !splits[end]; start--) splits[end] = splits[start] === true && isWalk(part.slice(start, end));
  }
  return splits[part.length] === true;
}

/**
 * Whether the password is a keyboard walk: a walk of 5 keys anywhere in it (as a run of 5 is refused anywhere), or
 * walks of 3 keys or more from end to end but for one key before or after ("1qaz2wsx", "qaz123", "qwerty1").
 * Two walks interleaved ("1q2w3e4r") are `interleaves(pin, isWalk)`.
 */
export function isKeyboardWalk(pin: string): boolean {
  for (let start = 0; start + 5 <= pin.length; start++) if (isWalk(pin.slice(start, start + 5))) return true;
  return walksAllAlong(pin) || walksAllAlong(pin.slice(1)) || walksAllAlong(pin.slice(0, -1));
}
