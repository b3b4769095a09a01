// Custom Elements Manifest for IDEs and docs: read from the components' TSDoc (@csspart, @fires, @cssproperty, @slot).
export default {
  // The base class is read too, so that its `locale` and the theme's custom properties reach every element.
  globs: ['packages/elements/src/components/**/*.component.ts', 'packages/elements/src/internal/sicert-element.ts'],
  outdir: 'packages/elements',
  litelement: true,
  plugins: [
    {
      // Events are typed classes (`new SicertRetryEvent()`), whose names the analyzer cannot infer from the
      // dispatch: it lists them nameless or as `detail`. Every event is documented with @fires; keep those.
      name: 'sicert-documented-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.events) declaration.events = declaration.events.filter((event) => event.name && event.description);
            // `lang` is the platform's global attribute, observed only to re-render: the documented knob is `locale`.
            if (declaration.attributes) declaration.attributes = declaration.attributes.filter((attribute) => attribute.name !== 'lang');
          }
        }
      },
    },
  ],
};
