// What the hall counter's USB-Key work tells staff, zh-CN then English: the agent's refusals, the password policy,
// and the steps of the on-site key.
export const REASONS = {
  PIN_INCORRECT: ['证书密码错误。', 'Wrong certificate password.'],
  PIN_LOCKED: ['证书密码已锁定：请用“重置证书密码”。', 'The certificate password is locked: use “Reset the certificate password”.'],
  PIN_POLICY: ['新密码不符合要求：6-12位，须同时包含字母和数字，不能过于简单。', 'The new password does not meet the rules: 6-12 letters and digits, both, not too simple.'],
  PIN_THROTTLED: ['密码错误次数过多，请稍等一分钟再试。', 'Too many wrong passwords: wait a minute and try again.'],
  SO_PIN_INCORRECT: ['管理员PIN（SO PIN）错误，请核对后重试。', 'Wrong SO PIN: check it and try again.'],
  SO_PIN_LOCKED: ['该USB-Key的管理员PIN已锁定，无法重置：请为申请人更换新的USB-Key。', 'This USB-Key’s SO PIN is locked and cannot be reset: give the citizen a new USB-Key.'],
  TOKEN_NOT_BLANK: ['这个USB-Key已经初始化过，不能在此重新初始化：请换一个空白USB-Key。', 'This USB-Key is already initialised and cannot be initialised again here: use a blank one.'],
  TOKEN_NOT_FOUND: ['未找到该USB-Key，请确认已插好后点击“刷新”。', 'USB-Key not found: plug it in and press “Refresh”.'],
  TOKEN_REMOVED: ['USB-Key已被拔出，请重新插入后重试。', 'The USB-Key was unplugged: plug it in again and retry.'],
  INVALID_PARAMS: ['该USB-Key不接受这个管理员PIN（长度或字符不符），或姓名过长：请换一个管理员PIN。', 'This USB-Key does not accept that SO PIN (its length or characters), or the name is too long: choose another SO PIN.'],
  METHOD_NOT_FOUND: ['本机证书助手未开启大厅模式（hallMode），不能初始化USB-Key。', 'The agent is not in hall mode (hallMode): it cannot initialise a USB-Key.'],
  DISCONNECTED: ['与本机证书助手的连接已断开，请确认证书助手正在运行。', 'The connection to the agent was lost: check that the agent is running.'],
};

export const POLICY = {
  LENGTH: ['密码须为6-12位。', 'The password must be 6-12 characters.'],
  CHARACTERS: ['密码只能包含字母和数字。', 'The password may contain only letters and digits.'],
  COMPOSITION: ['密码须同时包含字母和数字。', 'The password must contain both letters and digits.'],
  WEAK: ['密码过于简单（如连续或重复的字符），请换一个。', 'The password is too simple (a run or a repeat): choose another.'],
  REPEATED: ['密码不能由同一段字符反复组成（如 a1a1a1、abcabc1），请换一个。', 'The password must not repeat one group of characters (a1a1a1, abcabc1): choose another.'],
  KEYBOARD: ['密码不能是键盘上相邻按键连成的一串（如 qwerty、1qaz2wsx、147258），请换一个。', 'The password must not be a run of neighbouring keys (qwerty, 1qaz2wsx, 147258): choose another.'],
  BIRTH_DATE: ['密码不能包含出生日期。', 'The password must not contain the birth date.'],
};

export const STEPS = [
  ['初始化USB-Key', 'Initialise the USB-Key'],
  ['在USB-Key内生成密钥', 'Make the key on the USB-Key'],
  ['签发证书', 'Issue the certificate'],
  ['安装证书', 'Install the certificate'],
  ['试签名', 'Test signature'],
];

export const STEP_STATES = { done: ['已完成', 'done'], running: ['进行中', 'running'], failed: ['失败', 'failed'], pending: ['未开始', 'to do'] };
