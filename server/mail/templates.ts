import type { Provider } from '../providers/data.js';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A logo path in the theme is served by the portal server itself: resolve it against its public URL. */
function absoluteLogo(provider: Provider, publicUrl: string | undefined): string | null {
  const logo = provider.theme.logoUrl;
  if (!logo) return null;
  if (/^https?:\/\//.test(logo)) return logo;
  try {
    return publicUrl ? new URL(logo, publicUrl).toString() : null;
  } catch {
    return null;
  }
}

function luminance(hex: string): number {
  const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (d) => d + d) : hex;
  const channel = (i: number): number => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** A small link under a message (the alerts' unsubscribe link). */
export interface Footer {
  text: string;
  label: string;
  url: string;
}

/** The provider's name, logo and colour around a message, with one call-to-action button. */
export function layout(provider: Provider, publicUrl: string | undefined, paragraphs: string[], action?: { label: string; url: string }, footer?: Footer): string {
  const brand = provider.theme.brandColor ?? '#0a5cd6';
  const onBrand = luminance(brand) > 0.18 ? '#111111' : '#ffffff';
  const logo = absoluteLogo(provider, publicUrl);
  const name = escape(provider.name);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${name}</title></head>
<body style="margin:0;padding:0;background:#f4f6f8;font-family:${escape(provider.theme.fontFamily ?? 'Arial, sans-serif')};color:#1b1f24">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px">
<tr><td style="background:${brand};color:${onBrand};padding:16px 24px;border-radius:8px 8px 0 0;font-size:20px;font-weight:bold">
${logo ? `<img src="${escape(logo)}" alt="" height="32" style="vertical-align:middle;margin-right:8px">` : ''}${name}</td></tr>
<tr><td style="padding:24px;font-size:16px;line-height:1.5">
${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
${
  action
    ? `<p style="margin:24px 0"><a href="${escape(action.url)}" style="background:${brand};color:${onBrand};padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold;display:inline-block">${escape(action.label)}</a></p>
<p style="font-size:13px;color:#525a64">If the button does not work, copy this address into your browser:<br>${escape(action.url)}</p>`
    : ''
}
${footer ? `<p style="font-size:13px;color:#525a64;border-top:1px solid #e3e6ea;padding-top:12px">${escape(footer.text)} <a href="${escape(footer.url)}" style="color:#525a64">${escape(footer.label)}</a></p>` : ''}
</td></tr></table></td></tr></table></body></html>`;
}

export function text(provider: Provider, paragraphs: string[], action?: { label: string; url: string }, footer?: Footer): string {
  return [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), `— ${provider.name}`, ...(footer ? [`${footer.text} ${footer.label}: ${footer.url}`] : [])].join('\n\n') + '\n';
}

export function inviteMail(provider: Provider, publicUrl: string | undefined, name: string, url: string, days: number): MailContent {
  const paragraphs = [
    `Hello ${name},`,
    `${provider.name} has invited you to its customer portal, where you can follow your jobs and quotes.`,
    `Choose your password with the link below. It works once and expires in ${days} days.`,
  ];
  const action = { label: 'Set your password', url };
  return {
    subject: `Your invitation to the ${provider.name} customer portal`,
    text: text(provider, paragraphs, action),
    html: layout(provider, publicUrl, paragraphs, action),
  };
}

export function resetMail(provider: Provider, publicUrl: string | undefined, name: string, url: string, minutes: number): MailContent {
  const paragraphs = [
    `Hello ${name},`,
    `Someone asked to reset the password of your ${provider.name} customer portal account.`,
    `If it was you, choose a new password with the link below. It works once and expires in ${minutes} minutes. If it was not you, ignore this email: your password stays as it is.`,
  ];
  const action = { label: 'Choose a new password', url };
  return {
    subject: `Reset your ${provider.name} portal password`,
    text: text(provider, paragraphs, action),
    html: layout(provider, publicUrl, paragraphs, action),
  };
}

export function passwordChangedMail(provider: Provider, publicUrl: string | undefined, name: string, portalUrl: string | null): MailContent {
  const paragraphs = [
    `Hello ${name},`,
    `The password of your ${provider.name} customer portal account was just changed, and every other device was logged out.`,
    `If you did not do this, reset your password now from the portal's "Forgot password?" link, and tell ${provider.name}.`,
  ];
  const action = portalUrl ? { label: 'Open the portal', url: portalUrl } : undefined;
  return {
    subject: `Your ${provider.name} portal password was changed`,
    text: text(provider, paragraphs, action),
    html: layout(provider, publicUrl, paragraphs, action),
  };
}
