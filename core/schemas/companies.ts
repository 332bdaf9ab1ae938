import { z } from 'zod';
import { BooleanQuery, CustomFields, Id, PageQuery, Timestamp, UserRef, requiredText, shortText } from './common.ts';

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'not a domain name like example.com');

export const CompanyInput = z.object({
  name: requiredText(),
  domain: Domain.nullish(),
  industry: shortText().nullish(),
  ownerId: Id.nullish(),
  customFields: CustomFields.optional(),
});
export const CompanyCreate = CompanyInput.strict().meta({ id: 'CompanyCreate' });
export const CompanyUpdate = CompanyInput.partial().strict().meta({ id: 'CompanyUpdate' });

export const Company = z
  .object({
    id: Id,
    name: z.string(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    ownerId: Id.nullable(),
    owner: UserRef.nullable(),
    customFields: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    deletedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Company' });

export const CompanyListQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Name or domain starts with' }),
  domain: z.string().max(253).optional(),
  ownerId: Id.optional(),
  deleted: BooleanQuery.optional(),
});

export type CompanyCreate = z.infer<typeof CompanyCreate>;
export type CompanyUpdate = z.infer<typeof CompanyUpdate>;
export type Company = z.infer<typeof Company>;
export type CompanyListQuery = z.infer<typeof CompanyListQuery>;
