import { expect } from '@open-wc/testing';
import { appointment, describeEvent, relativeDay } from '../../widget/ui/times.js';
import type { JobEvent } from '../../widget/api/client.js';

const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** A zone whose clock differs from the browser's by many hours. */
const far = new Date().getTimezoneOffset() > 0 ? 'Pacific/Kiritimati' : 'Pacific/Honolulu';
const start = new Date('2026-09-15T09:00:00Z');
const end = new Date(start.getTime() + 2 * 3_600_000);
const clock = (d: Date, timeZone = here) => new Intl.DateTimeFormat(undefined, { timeZone, hour: 'numeric', minute: '2-digit' }).format(d);

const event = (e: Partial<JobEvent>): JobEvent => ({
  id: 1, type: 'note', status: null, message: 'server text', actor: 'office', at: start.toISOString(),
  scheduledStart: null, scheduledEnd: null, technician: null, note: null, ...e,
});

describe('times (formatted in the browser, from data)', () => {
  it('days are relative when near: today, tomorrow, yesterday; else a weekday and date', () => {
    const day = 86_400_000;
    expect(relativeDay(start, start)).to.equal('Today');
    expect(relativeDay(start, new Date(start.getTime() - day))).to.equal('Tomorrow');
    expect(relativeDay(start, new Date(start.getTime() + day))).to.equal('Yesterday');
    const later = relativeDay(start, new Date(start.getTime() - 5 * day));
    expect(later).to.equal(new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' }).format(start));
  });

  it('an appointment is a window on a relative day, in the viewer’s zone', () => {
    const text = appointment(start.toISOString(), end.toISOString(), here, new Date(start.getTime() - 86_400_000));
    expect(text.startsWith('Tomorrow, ')).to.equal(true, text);
    expect(text).to.include(clock(end).replace(/\s?[AP]M$/, ''));
    expect(text).not.to.include(' in ', 'no second time when the provider’s clock is the same');
    expect(appointment(null, null)).to.equal('');
    expect(appointment('not a time', null)).to.equal('');
  });

  it('names the provider’s zone, with its own clock, when it differs from the viewer’s', () => {
    const text = appointment(start.toISOString(), end.toISOString(), far, start);
    expect(text).to.match(new RegExp(`\\(.*in ${far.split('/')[1]}\\)$`), text);
    expect(text).to.include(clock(start, far).replace(/\s?[AP]M$/, ''));
  });

  it('timeline entries read from their data; entries without data keep the server’s text', () => {
    expect(describeEvent(event({ type: 'scheduled', scheduledStart: start.toISOString(), scheduledEnd: end.toISOString(), note: 'Bring a ladder' }), here, start))
      .to.match(/^Appointment Today, .+: Bring a ladder$/);
    expect(describeEvent(event({ type: 'scheduled', message: 'Scheduled for 2026-09-15 09:00 UTC' }))).to.equal('Scheduled for 2026-09-15 09:00 UTC');
    expect(describeEvent(event({ type: 'technician_assigned', technician: 'Priya Shah' }))).to.equal('Technician: Priya Shah');
    expect(describeEvent(event({ type: 'status_changed', status: 'on_the_way', note: 'Ten minutes away' }))).to.equal('Technician on the way: Ten minutes away');
    expect(describeEvent(event({ type: 'created', message: 'Requested in the customer portal' }))).to.equal('Requested in the customer portal');
  });
});
