import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

const Address = z.string().trim().min(3).max(400).meta({ description: 'a@b.com or "Name <a@b.com>"' });

export const EmailLog = z
  .object({
    messageId: z.string().trim().min(1).max(998).meta({ description: 'RFC 822 Message-ID, `<left@right>` (or the host\'s own message id, e.g. `gmail:<id>`, only when the host truly cannot read the header)' }),
    hostMessageId: z
      .string()
      .trim()
      .min(1)
      .max(998)
      .nullish()
      .meta({ description: 'The host\'s own id for this copy (e.g. `gmail:<id>`), sent with the RFC Message-ID: an email logged under it earlier becomes this one, with no duplicate left' }),
    threadId: z.string().trim().max(998).nullish(),
    subject: z.string().max(1000).nullish(),
    from: Address,
    to: z.array(Address).max(500).default([]),
    cc: z.array(Address).max(500).default([]),
    sentAt: Timestamp,
    snippet: z.string().max(2000).nullish(),
    direction: z.enum(['inbound', 'outbound']),
  })
  .strict()
  .meta({ id: 'EmailLog' });

export const EmailLogResult = z
  .object({
    logged: z.boolean().meta({ description: 'false when nothing matched or the message was logged before' }),
    alreadyLogged: z.boolean(),
    activityId: Id.nullable(),
    contactIds: z.array(Id),
    companyIds: z.array(Id),
    dealIds: z.array(Id),
  })
  .meta({ id: 'EmailLogResult' });

export type EmailLog = z.infer<typeof EmailLog>;
export type EmailLogResult = z.infer<typeof EmailLogResult>;
