import type { Provider } from '../../data/providers.js';

/** Hono environment of the provider API: every handler runs for exactly one provider. */
export interface ProviderEnv {
  Variables: { requestId: string; provider: Provider };
}
