// False refusals stay rare: passwords made the way citizens make them (a pinyin name, a few digits, maybe a letter)
// and random ones, generated from a fixed seed so that every run checks the same ones. docs/protocol.md (PIN policy)
// quotes what this refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPinPolicy } from '../src/index.js';

type Random = () => number;

/** mulberry32: a small seeded generator. */
function seeded(seed: number): Random {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random: Random, from: readonly string[]): string => from[Math.floor(random() * from.length)] ?? '';

const SURNAMES = 'wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan cai jiang yu du ye cheng wei su lv ding ren shen yao lu jin qiu'.split(' ');
const GIVEN = 'wei fang na min jing li qiang lei jun yang yong yan jie tao ming chao xiu xia hua ping hui gang bo yu ting hong xin lin kai hao jia qing dan lan rui xue mei'.split(' ');
const LETTERS = Array.from('abcdefghijklmnopqrstuvwxyz');
const ALPHANUMERIC = [...LETTERS, ...Array.from('0123456789')];

/** A surname, maybe a given name, maybe capitalised, 2-6 digits, maybe a letter: "Zhangwei2468x". */
function citizenStyle(random: Random): string {
  let pin = pick(random, SURNAMES);
  if (random() < 0.5) pin += pick(random, GIVEN);
  if (random() < 0.5) pin = pin.charAt(0).toUpperCase() + pin.slice(1);
  const digits = 2 + Math.floor(random() * 5);
  for (let d = 0; d < digits; d++) pin += String(Math.floor(random() * 10));
  if (random() < 0.3) pin += pick(random, LETTERS);
  return pin;
}

/** 6-12 random small letters and digits. */
function randomCharacters(random: Random): string {
  let pin = '';
  for (let length = 6 + Math.floor(random() * 7); pin.length < length; ) pin += pick(random, ALPHANUMERIC);
  return pin;
}

/** Of `count` generated passwords, those of 6-12 letters and digits both (the rest are another rule's business), and which of them are refused. */
function refusals(make: (random: Random) => string, count: number): { checked: number; refused: string[] } {
  const random = seeded(20261130);
  const refused: string[] = [];
  let checked = 0;
  for (let i = 0; i < count; i++) {
    const pin = make(random);
    const violation = checkPinPolicy(pin);
    if (violation === 'LENGTH' || violation === 'COMPOSITION') continue;
    checked++;
    if (violation) refused.push(pin);
  }
  return { checked, refused };
}

describe('checkPinPolicy refuses few ordinary passwords', () => {
  it('a pinyin name and digits: at most 1 in 2,000 refused', () => {
    const { checked, refused } = refusals(citizenStyle, 40_000);
    assert.ok(checked > 30_000, `${checked} checked`);
    assert.ok(refused.length * 2000 <= checked, `${refused.length} of ${checked} refused: ${refused.join(' ')}`);
  });
  it('random letters and digits: at most 1 in 5,000 refused', () => {
    const { checked, refused } = refusals(randomCharacters, 40_000);
    assert.ok(checked > 30_000, `${checked} checked`);
    assert.ok(refused.length * 5000 <= checked, `${refused.length} of ${checked} refused: ${refused.join(' ')}`);
  });
});
