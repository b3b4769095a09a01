/** 简体中文: the signer's batch mode (批量签名), spread into `zhCN`. */
export const batchZhCN = {
  'batch.youSign': '您将签署以下 {n} 项',
  'batch.consent': '我已逐项核对以上 {n} 项内容，同意用所选证书全部签署。',
  'batch.consentRequired': '请先勾选确认：您已核对全部 {n} 项内容。',
  'batch.sign': '确认签署全部 {n} 项',
  'batch.progressLabel': '签名进度',
  'batch.progress': '已签 {done}/{total}',
  'batch.item.signed': '已签署',
  'batch.item.failed': '未签署：{message}',
  'batch.item.INVALID_PARAMS': '此项内容不完整或格式有误，未能签名。请联系网站。',
  'batch.item.INTERNAL': '此项签名失败，其他项不受影响。请稍后重试；如仍失败请联系12333。',
  'batch.allSigned': '全部签署成功，共 {n} 项。',
  'batch.someFailed': '{failed} 项未签署（第 {numbers} 项），{signed} 项已签署。未签署的原因见列表。',
  'batch.noneSigned': '全部 {n} 项均未签署，原因见列表。',
  'batch.numberSeparator': '、',
  'batch.tooMany': '一次最多可签署 {max} 项，本页提交了 {n} 项，无法签署。请联系网站。',
  'batch.unsupported': '您的证书助手版本较旧，不能一次签署多项。请升级证书助手后点击“重试”。',
};
