// Vue 3: tell the template compiler that sicert-* tags are custom elements, bind properties with `.prop`, and
// listen with @sicert-signed. docs/frameworks.md shows this file; `npm run typecheck` checks it.
import { createApp, defineComponent, h, ref } from 'vue';
import type { SicertSignedEvent, SicertErrorEvent } from '@sicert/elements';
import '@sicert/elements/define/sicert-signer';

/** With templates (Vue's full build, or a .vue file; with Vite, the same option goes to the vue() plugin's template.compilerOptions). */
export const SignDeclaration = defineComponent({
  props: { payload: { type: String, required: true }, summary: { type: String, required: true } },
  emits: { signed: (signature: string) => signature.length > 0 },
  setup(_props, { emit }) {
    const problem = ref('');
    return {
      problem,
      onSigned: (event: SicertSignedEvent) => emit('signed', event.detail.signature),
      onError: (event: SicertErrorEvent) => (problem.value = event.detail.message),
    };
  },
  template: `
    <sicert-signer :data.prop="payload" :summary="summary" @sicert-signed="onSigned" @sicert-error="onError"></sicert-signer>
    <p v-if="problem" role="alert">{{ problem }}</p>`,
});

/** The same with a render function: `onSicertSigned` listens to `sicert-signed`. */
export const SignDeclarationRender = defineComponent({
  props: { payload: { type: String, required: true } },
  emits: ['signed'],
  setup(props, { emit }) {
    return () => h('sicert-signer', { data: props.payload, onSicertSigned: (event: SicertSignedEvent) => emit('signed', event.detail.signature) });
  },
});

export function mount(selector: string): void {
  const app = createApp(SignDeclaration, { payload: '…', summary: '2026年11月 社保缴费申报：个人缴费 640.00 元' });
  app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('sicert-');
  app.mount(selector);
}
