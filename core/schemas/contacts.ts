import { z } from 'zod';
import { CustomFields, Email, Id, PageQuery, Tags, Timestamp, UserRef, shortText, BooleanQuery } from './common.ts';

export const ContactInput = z.object({
  email: Email,
  firstName: shortText().nullish(),
  lastName: shortText().nullish(),
  title: shortText().nullish(),
  phone: shortText(50).nullish(),
  companyId: Id.nullish(),
  ownerId: Id.nullish(),
  tags: Tags.optional(),
  customFields: CustomFields.optional(),
});
export const ContactCreate = ContactInput.strict().meta({ id: 'ContactCreate' });
export const ContactUpdate = ContactInput.partial().strict().meta({ id: 'ContactUpdate' });

export const Contact = z
  .object({
    id: Id,
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    title: z.string().nullable(),
    phone: z.string().nullable(),
    companyId: Id.nullable(),
    ownerId: Id.nullable(),
    owner: UserRef.nullable(),
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    deletedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Contact' });

export const ContactListQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Search by name, email or company; partial words match' }),
  companyId: Id.optional(),
  ownerId: Id.optional(),
  tag: z.string().max(50).optional(),
  email: z.string().max(320).optional(),
  deleted: BooleanQuery.optional().meta({ description: 'Admins only: list deleted contacts that can still be restored' }),
});

export type ContactCreate = z.infer<typeof ContactCreate>;
export type ContactUpdate = z.infer<typeof ContactUpdate>;
export type Contact = z.infer<typeof Contact>;
export type ContactListQuery = z.infer<typeof ContactListQuery>;
