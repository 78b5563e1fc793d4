// The host page listens to the elements' events (they bubble and are composed) and logs them:
// what a developer building their own UI around the portal would hook into.
const log = document.getElementById('event-log');
const names = [
  'portal-signed-in', 'portal-signed-out', 'portal-error', 'portal-job-select', 'portal-job-created', 'portal-job-updated',
  'portal-quote-requested', 'portal-quote-accepted', 'portal-quote-declined', 'portal-equipment-added', 'portal-details-saved',
  'portal-filter', 'portal-load-more', 'portal-form-open', 'portal-photo-upload', 'portal-photo-uploaded', 'portal-photo-open',
];
for (const name of names) {
  document.addEventListener(name, (event) => {
    const item = document.createElement('li');
    const d = event.detail ?? {};
    const about = d.file?.name ?? d.name ?? d.job?.number ?? d.quote?.number ?? d.equipment?.name ?? d.me?.contact?.name ?? d.code ?? d.reason ?? d.query ?? d.form ?? '';
    item.textContent = `${new Date().toLocaleTimeString()} ${name}${about ? ` (${about})` : ''}`;
    log.prepend(item);
  });
}
