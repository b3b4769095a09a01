/** What the signer's live example signs: a declaration as a portal would issue it (the site's test verifies it). */
export const DECLARATION = '{"type":"社保缴费申报","period":"2026-11","unit":"示例科技有限公司","amount":"640.00"}';

/**
 * Each element's live example, as the page markup a portal would write. `data-agent` marks an element that gets the
 * stand-in agent's URL, `data-backend` one that gets the example portal backend; examples.ts sets both, and the
 * properties markup cannot carry (the signer's `data`, the picker's `certificates`), before the elements are defined.
 */
export const EXAMPLE_MARKUP: Readonly<Record<string, string>> = {
  'sicert-signer': '<sicert-signer data-agent summary="2026年11月 社保缴费申报：个人缴费 640.00 元"></sicert-signer>',
  'sicert-cert-status': '<sicert-cert-status data-agent data-backend region="demo-east"></sicert-cert-status>',
  'sicert-apply-wizard': '<sicert-apply-wizard data-agent data-backend region="demo-east"></sicert-apply-wizard>',
  'sicert-pin-change':
    '<button type="button" data-show="sicert-pin-change">修改证书密码 · Change the password</button>\n' +
    '<sicert-pin-change data-agent token-id="soft-1" token-label="本机 · 张三" provider="soft"></sicert-pin-change>',
  'sicert-pin-input': '<sicert-pin-input label="证书密码" hint="6-12 位，须同时包含字母和数字；不要用生日或连续数字" meter></sicert-pin-input>',
  'sicert-cert-picker': '<sicert-cert-picker></sicert-cert-picker>',
  'sicert-agent-status': '<sicert-agent-status state="not-running"></sicert-agent-status>',
};
