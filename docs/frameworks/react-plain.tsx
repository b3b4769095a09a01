// React 19 with the custom elements as they are: properties set from JSX (React 19 sets a property when the
// element has one), events through a ref. docs/frameworks.md shows this file; `npm run typecheck` checks it.
import * as React from 'react';
import type { SicertSigner, SicertSignedEvent } from '@sicert/elements';
import '@sicert/elements/define/sicert-signer';

// JSX knows no custom elements: declare the tag with the properties the page sets.
declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's own JSX namespace, augmented
  namespace JSX {
    interface IntrinsicElements {
      'sicert-signer': React.DetailedHTMLProps<React.HTMLAttributes<SicertSigner>, SicertSigner> & Partial<Pick<SicertSigner, 'data' | 'summary' | 'format' | 'agentUrl'>>;
    }
  }
}

/** Calls `listener` for `type` on the element behind `ref`, with the event's own type. */
function useElementEvent<K extends keyof HTMLElementEventMap>(ref: React.RefObject<HTMLElement | null>, type: K, listener: (event: HTMLElementEventMap[K]) => void): void {
  React.useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.addEventListener(type, listener);
    return () => element.removeEventListener(type, listener);
  }, [ref, type, listener]);
}

export function SignDeclaration({ payload, summary, onSigned }: { payload: string; summary: string; onSigned: (signature: string) => void }): React.JSX.Element {
  const signer = React.useRef<SicertSigner>(null);
  const signed = React.useCallback((event: SicertSignedEvent) => onSigned(event.detail.signature), [onSigned]);
  useElementEvent(signer, 'sicert-signed', signed);
  return <sicert-signer ref={signer} data={payload} summary={summary} />;
}
