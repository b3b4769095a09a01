// React with @lit/react: typed components whose props are the elements' properties and whose `on…` props are
// their events. docs/frameworks.md shows this file; `npm run typecheck` checks it against @sicert/elements.
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { SicertCertStatus, SicertSigner, type SicertAgentStateEvent, type SicertErrorEvent, type SicertSignedEvent } from '@sicert/elements';
import '@sicert/elements/define/sicert-signer';
import '@sicert/elements/define/sicert-cert-status';

export const Signer = createComponent({
  react: React,
  tagName: 'sicert-signer',
  elementClass: SicertSigner,
  events: {
    onSigned: 'sicert-signed' as EventName<SicertSignedEvent>,
    onSignError: 'sicert-error' as EventName<SicertErrorEvent>,
    onAgentState: 'sicert-agent-state' as EventName<SicertAgentStateEvent>,
  },
});

export const CertStatus = createComponent({ react: React, tagName: 'sicert-cert-status', elementClass: SicertCertStatus });

/** A declaration page: the signer signs exactly what the server issued, and the signature goes back to it. */
export function SignDeclaration({ payload, summary }: { payload: string; summary: string }): React.JSX.Element {
  const [problem, setProblem] = React.useState('');
  return (
    <>
      <Signer
        data={payload}
        summary={summary}
        onSigned={(event) => void fetch('/api/declarations/sign', { method: 'POST', body: event.detail.signature })}
        onSignError={(event) => setProblem(event.detail.message)}
        onAgentState={(event) => event.detail.state === 'not-running' && setProblem('请先安装并启动证书助手。')}
      />
      {problem && <p role="alert">{problem}</p>}
    </>
  );
}
