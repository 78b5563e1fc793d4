import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import decorate from './scripts/rollup-decorate.mjs';
import minifyTemplates from './scripts/rollup-minify-templates.mjs';

/** `import text from 'x.css'`: the CSS as a string (job-map puts Leaflet's CSS into its shadow root). */
export const cssText = () => ({
  name: 'css-text',
  transform(code, id) {
    return id.endsWith('.css') ? { code: `export default ${JSON.stringify(code)};`, map: null } : null;
  },
});

/**
 * ES modules: one entry that defines every element, one per element, and the headless client.
 * Shared code lands in hashed chunks, so a page that loads two entries downloads it once.
 */
export default {
  input: {
    portal: 'widget/index.ts',
    'portal-root': 'widget/entries/portal-root.ts',
    'portal-login': 'widget/entries/portal-login.ts',
    'job-list': 'widget/entries/job-list.ts',
    'job-detail': 'widget/entries/job-detail.ts',
    'job-form': 'widget/entries/job-form.ts',
    'quote-list': 'widget/entries/quote-list.ts',
    'quote-form': 'widget/entries/quote-form.ts',
    'equipment-list': 'widget/entries/equipment-list.ts',
    'my-details': 'widget/entries/my-details.ts',
    'customer-portal': 'widget/entries/customer-portal.ts',
    'job-map': 'widget/entries/job-map.ts',
    'alert-settings': 'widget/entries/alert-settings.ts',
    'job-photos': 'widget/entries/job-photos.ts',
    client: 'widget/entries/client.ts',
  },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
  plugins: [
    decorate(),
    resolve({ browser: true }),
    cssText(),
    typescript({
      tsconfig: './tsconfig.json',
      include: ['widget/**/*.ts', 'server/contract.ts', 'server/theme-patterns.ts'],
      compilerOptions: { noEmit: false, declaration: false, sourceMap: true, outDir: 'dist' },
      noEmitOnError: true,
    }),
    // After typescript: that plugin compiles from the files on disk, not from earlier transforms.
    minifyTemplates(),
    terser({ ecma: 2022, module: true, compress: { passes: 3 }, format: { comments: false } }),
  ],
};
