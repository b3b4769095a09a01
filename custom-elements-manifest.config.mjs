// Custom Elements Manifest for IDEs and docs: read from the components' TSDoc (@csspart, @fires, @cssproperty).
export default {
  globs: ['packages/elements/src/components/**/*.component.ts'],
  outdir: 'packages/elements',
  litelement: true,
};
