/** Module shapes the bundler gives us (rollup.config.mjs and the test runner turn .css into its text). */
declare module '*.css' {
  const text: string;
  export default text;
}

/** Leaflet's own ES module build: the same API as @types/leaflet describes for 'leaflet'. */
declare module 'leaflet/dist/leaflet-src.esm.js' {
  export * from 'leaflet';
}
