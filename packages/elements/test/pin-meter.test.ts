import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/define/sicert-pin-input.js';
import type { SicertPinInput } from '../src/index.js';
import { text } from './status-helpers.js';

// The policy meter under a new password, typed key by key in Chromium: each simple shape the security review found
// (issue 8) is named in the citizen's words, in both locales, and a citizen-style password still passes.
const SAID = {
  'zh-CN': {
    REPEATED: '密码不能由同一段字符反复组成（如 a1a1a1、abcabc1），请换一个。',
    KEYBOARD: '密码不能是键盘上相邻按键连成的一串（如 qwerty、1qaz2wsx、147258），请换一个。',
    WEAK: '密码过于简单（如连续或重复的字符），请换一个。',
    ok: '符合密码要求；再长一些更安全。',
    strong: '符合密码要求，强度较好。',
  },
  en: {
    REPEATED: 'Too simple (one part repeated, like a1a1a1 or abcabc1): choose another.',
    KEYBOARD: 'Too simple (keys side by side on the keyboard, like qwerty, 1qaz2wsx or 147258): choose another.',
    WEAK: 'Too simple (sequences or repeats): choose another.',
    ok: 'Meets the rules; a longer one is safer.',
    strong: 'Meets the rules, and is strong.',
  },
} as const;

const TYPED: [pin: string, said: keyof (typeof SAID)['en'], meter: 'refused' | 'ok' | 'strong'][] = [
  ['Aa1Aa1', 'REPEATED', 'refused'],
  ['a123123', 'REPEATED', 'refused'],
  ['abcabc1', 'REPEATED', 'refused'],
  ['qwerty1', 'KEYBOARD', 'refused'],
  ['1qaz2wsx', 'KEYBOARD', 'refused'],
  ['147258a', 'KEYBOARD', 'refused'],
  ['a1b2c3d4', 'WEAK', 'refused'],
  ['Li5830qa', 'ok', 'ok'],
  ['Zhang2468x', 'strong', 'strong'],
];

describe('<sicert-pin-input meter> names the simple patterns', () => {
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`${lang}: a repeated part, a keyboard walk and interleaved runs each get their message; a good password passes`, async () => {
      const el = await fixture<SicertPinInput>(html`<sicert-pin-input meter lang=${lang}></sicert-pin-input>`);
      const meter = el.shadowRoot!.querySelector('[part=meter]')!;
      for (const [pin, said, reading] of TYPED) {
        el.clear();
        el.focus();
        await sendKeys({ type: pin });
        await el.updateComplete;
        expect(text(meter), pin).to.equal(SAID[lang][said]);
        expect(meter.classList.contains(reading), `${pin} reads ${reading}`).to.equal(true);
      }
      await expect(el).to.be.accessible();
      el.clear();
    });
  }
});
