import { z } from 'zod';
import { isoTime } from '../http/fields.js';

/** A mail kept in the local outbox, as the demo mailbox shows it. */
export const MailboxEntrySchema = z
  .object({
    id: z.number().int(),
    provider: z.string(),
    to: z.string(),
    subject: z.string(),
    kind: z.string(),
    /** SMS appear beside emails while no SMS gateway is configured. */
    channel: z.enum(['email', 'sms']),
    text: z.string(),
    status: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'MailboxEntry' });
export type MailboxEntry = z.infer<typeof MailboxEntrySchema>;
export const MailboxSchema = z.array(MailboxEntrySchema).meta({ id: 'Mailbox' });
