import { z } from 'zod';

export const Id = z.uuid().meta({ description: 'A UUID' });
export const IdParam = z.object({ id: Id });
export const Timestamp = z.iso.datetime({ offset: true });
export const DateOnly = z.iso.date();

export const shortText = (max = 200) => z.string().trim().max(max);
export const requiredText = (max = 200) => z.string().trim().min(1).max(max);

export const Email = z.string().trim().max(320).pipe(z.email());

export const CustomFields = z
  .record(z.string().min(1).max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .refine((fields) => Object.keys(fields).length <= 100, 'at most 100 custom fields')
  .meta({ description: 'Free-form fields: string, number, boolean or null values' });

export const Tags = z.array(requiredText(50)).max(50);

// ISO 4217 codes as the runtime's ICU knows them (Node 20+ and current browsers): only codes of
// currencies in use, so a typo like "USS" or a made-up "ABC" is refused at the edge.
const currencyCodes: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
export const isCurrencyCode = (code: string) => currencyCodes.has(code);
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
  .refine(isCurrencyCode, 'not an ISO 4217 currency code (e.g. USD, EUR, GBP)');

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const ErrorBody = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: 'Error' });

export const UserRef = z.object({ id: Id, name: z.string(), email: z.string() }).meta({ id: 'UserRef' });

export const BooleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
