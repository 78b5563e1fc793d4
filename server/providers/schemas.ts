/** A provider's public face: name, theme and feature switches, as the login form and elements see it. */
import { z } from 'zod';
import { THEME_PATTERNS } from '../contract.js';

const hexColor = z.string().regex(THEME_PATTERNS.color, 'must be a hex colour like #0a6cff');
const fontFamily = z.string().max(200).regex(THEME_PATTERNS.fontFamily, 'may contain letters, digits, spaces, commas, quotes and dashes');
const radius = z.string().regex(THEME_PATTERNS.radius, 'must be a length like 6px or 0.5rem');
const logoUrl = z.string().max(2000).regex(THEME_PATTERNS.logoUrl, 'must be an http(s) URL or a path starting with /');

export const ThemeSchema = z
  .object({
    brandColor: hexColor.optional(),
    accentColor: hexColor.optional(),
    fontFamily: fontFamily.optional(),
    radius: radius.optional(),
    colorScheme: z.enum(['light', 'dark']).optional(),
    logoUrl: logoUrl.optional(),
  })
  .meta({ id: 'Theme' });
export type Theme = z.infer<typeof ThemeSchema>;

export const FeaturesSchema = z.object({ map: z.boolean(), alerts: z.boolean() }).meta({ id: 'Features' });
export type Features = z.infer<typeof FeaturesSchema>;

export const ProviderPublicSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    theme: ThemeSchema,
    features: FeaturesSchema,
    /** The IANA time zone the provider works in (appointments are in its business hours). */
    timeZone: z.string(),
  })
  .meta({ id: 'ProviderPublic' });
export type ProviderPublic = z.infer<typeof ProviderPublicSchema>;
