// What a workflow's conditions and "update a field" actions can name, per kind of record, with the
// type that decides which operators apply. Facts (the values) are built by the API from the record
// and its related records (owner's team, stage, risk band); custom fields are `customFields.<key>`.
export const recordKinds = ['deal', 'contact', 'task', 'email'] as const;
export type AutomationRecordKind = (typeof recordKinds)[number];

export const fieldTypes = ['text', 'number', 'date', 'id', 'tags', 'boolean', 'any'] as const;
export type FieldType = (typeof fieldTypes)[number];

export interface FieldInfo {
  type: FieldType;
  label: string;
  /** May an "update a field" action write it (through the record's own service)? */
  writable?: boolean;
}

const owner = {
  ownerId: { type: 'id', label: 'Owner' },
  ownerTeamId: { type: 'id', label: 'Owner’s team' },
} as const satisfies Record<string, FieldInfo>;

export const recordFields: Record<AutomationRecordKind, Record<string, FieldInfo>> = {
  deal: {
    name: { type: 'text', label: 'Name', writable: true },
    valueCents: { type: 'number', label: 'Value (cents)', writable: true },
    currency: { type: 'text', label: 'Currency' },
    probability: { type: 'number', label: 'Probability', writable: true },
    pipelineId: { type: 'id', label: 'Pipeline' },
    stageId: { type: 'id', label: 'Stage' },
    stageName: { type: 'text', label: 'Stage name' },
    outcome: { type: 'text', label: 'Outcome (won, lost, or empty while open)' },
    riskBand: { type: 'text', label: 'Risk band (low, medium, high)' },
    expectedCloseDate: { type: 'date', label: 'Expected close date', writable: true },
    stageChangedAt: { type: 'date', label: 'Entered its stage at' },
    companyId: { type: 'id', label: 'Company' },
    companyDomain: { type: 'text', label: 'Company domain' },
    source: { type: 'text', label: 'Source' },
    createdAt: { type: 'date', label: 'Created at' },
    ...owner,
  },
  contact: {
    email: { type: 'text', label: 'Email' },
    firstName: { type: 'text', label: 'First name', writable: true },
    lastName: { type: 'text', label: 'Last name', writable: true },
    title: { type: 'text', label: 'Title', writable: true },
    phone: { type: 'text', label: 'Phone', writable: true },
    tags: { type: 'tags', label: 'Tags' },
    companyId: { type: 'id', label: 'Company' },
    companyDomain: { type: 'text', label: 'Company domain' },
    source: { type: 'text', label: 'Source' },
    createdAt: { type: 'date', label: 'Created at' },
    ...owner,
  },
  task: {
    subject: { type: 'text', label: 'Subject' },
    dueAt: { type: 'date', label: 'Due at' },
    completedAt: { type: 'date', label: 'Completed at' },
    ...owner,
  },
  email: {
    subject: { type: 'text', label: 'Subject' },
    direction: { type: 'text', label: 'Direction (inbound, outbound)' },
    from: { type: 'text', label: 'From' },
    ...owner,
  },
};

/** Deals and contacts carry custom fields; conditions may read them and actions write them. */
const CUSTOM = /^customFields\.[A-Za-z0-9_ -]{1,64}$/;
export const hasCustomFields = (kind: AutomationRecordKind) => kind === 'deal' || kind === 'contact';

/** The field's description, or undefined when the kind has no such field. */
export function fieldOf(kind: AutomationRecordKind, field: string): FieldInfo | undefined {
  if (CUSTOM.test(field)) return hasCustomFields(kind) ? { type: 'any', label: `Custom field “${field.slice(13)}”`, writable: true } : undefined;
  return Object.hasOwn(recordFields[kind], field) ? recordFields[kind][field] : undefined;
}

/** A record's values by field name: what conditions are evaluated against. Dates are ISO strings. */
export type Facts = Readonly<Record<string, unknown>>;
