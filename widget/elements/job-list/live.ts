/** How job-list takes a live job event: the rows after it, and what to announce (or null: not its business). */
import type { JobListParams, JobSummary, LiveEvent } from '../../api/client.js';
import { JOB_STATUS_LABELS } from '../../ui/format.js';

type JobEvent = Extract<LiveEvent, { type: 'job.created' | 'job.updated' }>;

/** Whether the filter in force would list this job (the server's search: number, title, address). */
function wouldList(job: JobSummary, p: JobListParams): boolean {
  if (p.status && job.status !== p.status) return false;
  const q = p.q?.toLowerCase();
  return !q || `${job.number} ${job.title} ${job.address}`.toLowerCase().includes(q);
}

/**
 * A known job's row is replaced where it stands (never moved under the user's focus); a new job
 * the filter would show goes on top.
 */
export function applyJobEvent(items: JobSummary[], e: JobEvent, params: JobListParams): { items: JobSummary[]; announcement: string } | null {
  const job = e.data.job;
  const before = items.find((j) => j.id === job.id);
  if (before) {
    const next = items.map((j) => (j.id === job.id ? job : j));
    if (before.status !== job.status) return { items: next, announcement: `Job ${job.number} is now ${(JOB_STATUS_LABELS[job.status] ?? job.status).toLowerCase()}.` };
    if (e.data.changed.includes('scheduledStart')) return { items: next, announcement: `Job ${job.number} was rescheduled.` };
    if (e.data.changed.includes('technician')) return { items: next, announcement: `Job ${job.number}: technician ${job.technician ?? 'unassigned'}.` };
    return { items: next, announcement: '' };
  }
  if (e.type === 'job.created' && wouldList(job, params)) return { items: [job, ...items], announcement: `New job ${job.number}: ${job.title}.` };
  return null;
}
