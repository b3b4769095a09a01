// Staff review console (demo): list, view materials, approve (issues the certificate), reject with a reason.
const STATUS = { submitted: '待审核', under_review: '审核中', approved: '已通过', rejected: '已驳回', installed: '已安装', withdrawn: '已撤回' };
const KIND = { new: '', reissue: ' · 补办', renewal: ' · 续期' };
const MATERIALS = {
  'id-front': '身份证人像面', 'id-back': '身份证国徽面', 'ss-card': '社保卡', photo: '证件照', 'power-of-attorney': '委托书', 'agent-id': '代办人身份证',
  'application-form': '单位申请表', 'business-licence': '营业执照', 'handler-id': '经办人身份证', 'authorization-letter': '授权委托书',
};
const rows = document.getElementById('rows');
const detail = document.getElementById('detail');
let current;

async function list() {
  const apps = await (await fetch('/console/api/applications')).json();
  rows.replaceChildren(
    ...apps.map((app) => {
      const tr = document.createElement('tr');
      const cells = [new Date(app.submittedAt).toLocaleString('zh-CN'), app.holder ?? app.applicant, `${app.type === 'organization' ? '单位' : app.onBehalf ? '个人（代办）' : '个人'}${KIND[app.kind] ?? ''}`, app.medium === 'usb-key' ? 'USB-Key' : '本机', STATUS[app.status]];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      const td = document.createElement('td');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = '查看';
      button.dataset.id = app.id;
      button.addEventListener('click', () => open(app.id, { startReview: true }));
      td.append(button);
      tr.append(td);
      return tr;
    }),
  );
}

async function open(id, { startReview = false } = {}) {
  current = await (await fetch(`/console/api/applications/${id}`)).json();
  // Opening a submitted application starts its review: an explicit POST, since a GET never changes state.
  if (startReview && current.status === 'submitted') {
    await fetch(`/console/api/applications/${id}/review`, { method: 'POST' });
    current = await (await fetch(`/console/api/applications/${id}`)).json();
  }
  const d = current.details;
  const facts = [
    ['状态', STATUS[current.status]],
    ['申请人', `${d.applicant.name}（${d.applicant.idNumber}）`],
    ['手机号', d.applicant.mobile],
    ...(d.organization ? [['单位', `${d.organization.name}（${d.organization.creditCode}）`]] : []),
    ...(d.agent ? [['代办人', `${d.agent.name}（${d.agent.idNumber}）`]] : []),
    ['人脸识别', `${d.face.method}，${new Date(d.face.at).toLocaleString('zh-CN')}`],
    ['证书主题', Object.entries(current.subject).map(([k, v]) => `${k}=${v}`).join(', ')],
    ['预计完成', current.expectedBy],
  ];
  const dl = document.getElementById('facts');
  dl.replaceChildren(...facts.flatMap(([k, v]) => [Object.assign(document.createElement('dt'), { textContent: k }), Object.assign(document.createElement('dd'), { textContent: v })]));
  document.getElementById('materials').replaceChildren(
    ...d.materials.map((m) => {
      const figure = document.createElement('figure');
      const url = `/console/api/uploads/${m.uploadId}`;
      if (m.mimeType?.startsWith('image/')) figure.append(Object.assign(document.createElement('img'), { src: url, alt: MATERIALS[m.kind] ?? m.kind }));
      const caption = document.createElement('figcaption');
      caption.append(Object.assign(document.createElement('a'), { href: url, target: '_blank', textContent: `${MATERIALS[m.kind] ?? m.kind}：${m.fileName}` }));
      figure.append(caption);
      return figure;
    }),
  );
  document.getElementById('decision').hidden = !['submitted', 'under_review'].includes(current.status);
  document.getElementById('outcome').textContent = current.rejectReason ? `驳回原因：${current.rejectReason}` : '';
  detail.hidden = false;
  await list();
}

document.getElementById('approve').addEventListener('click', async () => {
  const response = await fetch(`/console/api/applications/${current.id}/approve`, { method: 'POST' });
  const message = response.ok ? '已签发证书。' : (await response.json()).message;
  await open(current.id);
  document.getElementById('outcome').textContent = message;
});
document.getElementById('reject').addEventListener('click', async () => {
  const reason = document.getElementById('reason').value;
  const response = await fetch(`/console/api/applications/${current.id}/reject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason }) });
  const message = response.ok ? '已驳回。' : (await response.json()).message;
  if (response.ok) await open(current.id);
  document.getElementById('outcome').textContent = message;
});

await list();
