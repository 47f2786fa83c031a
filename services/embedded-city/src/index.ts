/** The `npm start` composition as the end-to-end tests start it (main.ts is the process entry point). */
export { startEmbeddedCity } from './embedded-city';
export type { EmbeddedCity } from './embedded-city';
export { EmbeddedCityConfig, resolveEmbeddedConfig } from './embedded-config';
export type { ResolvedEmbeddedConfig } from './embedded-config';
