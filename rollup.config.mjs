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
 * Everything portal-root and portal-login import statically goes into one chunk ("core"): the
 * login path is then three files (two small entries and the chunk), compressed together
 * rather than as six. Every element needs portal-root, and almost every page the login form.
 */
let core;
function loginPathInOneChunk(id, { getModuleInfo }) {
  if (!core) {
    core = new Set();
    const add = (m) => {
      if (!m || core.has(m)) return;
      core.add(m);
      for (const dep of getModuleInfo(m)?.importedIds ?? []) add(dep);
    };
    for (const entry of ['widget/entries/portal-root.ts', 'widget/entries/portal-login.ts']) {
      for (const dep of getModuleInfo(new URL(entry, import.meta.url).pathname)?.importedIds ?? []) add(dep);
    }
  }
  return core.has(id) ? 'core' : undefined;
}

const plugins = () => [
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
];

/**
 * Two builds of ES modules:
 * - one entry per element: shared code lands in hashed chunks, so a page
 *   that loads two entries downloads it once;
 * - `portal.js`, every element in one file (one request, and compressed as one: about a fifth
 *   smaller than the same code in shared chunks). What only some visitors need comes in lazily
 *   imported chunks of its own: the account views, the live stream, the offline layer, job-map
 *   with Leaflet. A page uses one or the other, not both;
 * - `client.js`, the headless client alone (no Lit), in one file.
 */
export default [
  {
    input: {
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
    },
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true, manualChunks: loginPathInOneChunk },
    plugins: plugins(),
  },
  {
    input: { portal: 'widget/index.ts' },
    // The lazily imported chunks import from portal.js itself (no facade file in between).
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/portal-[name]-[hash].js', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: { client: 'widget/entries/client.ts' },
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/client-[name]-[hash].js', sourcemap: true },
    plugins: plugins(),
  },
];
