// The objects and fields the Salesforce stand-in knows, as describe answers them. Each sandbox holds
// its own copy so a test can delete, rename or retype a field (schema drift).
export type FieldType = 'id' | 'string' | 'email' | 'phone' | 'url' | 'textarea' | 'picklist' | 'reference' | 'currency' | 'double' | 'int' | 'percent' | 'date' | 'datetime' | 'boolean';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** Needed on create (createable, not nillable, no default). */
  required?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  referenceTo?: string[];
  length?: number;
}

export interface ObjectDef { name: string; label: string; labelPlural: string; keyPrefix: string; fields: FieldDef[]; createable: boolean }

type Options = Partial<Omit<FieldDef, 'name' | 'type'>>;
const field = (name: string, type: FieldType, options: Options = {}): FieldDef => ({
  name,
  label: options.label ?? name.replace(/Id$/, ' ID').replace(/([a-z])([A-Z])/g, '$1 $2'),
  type,
  createable: options.createable ?? true,
  updateable: options.updateable ?? options.createable ?? true,
  nillable: options.nillable ?? !options.required,
  ...(options.required ? { required: true } : {}),
  ...(options.picklistValues ? { picklistValues: options.picklistValues, restrictedPicklist: options.restrictedPicklist ?? false } : {}),
  ...(options.referenceTo ? { referenceTo: options.referenceTo } : {}),
  length: options.length ?? (['string', 'email', 'phone', 'url'].includes(type) ? 255 : type === 'textarea' ? 32_000 : 0),
});
const readOnly = { createable: false, updateable: false } as const;
const system = (): FieldDef[] => [
  field('Id', 'id', { ...readOnly, nillable: false, label: 'Record ID' }),
  field('IsDeleted', 'boolean', { ...readOnly, nillable: false, label: 'Deleted' }),
  field('CreatedDate', 'datetime', { ...readOnly, nillable: false }),
  field('CreatedById', 'reference', { ...readOnly, nillable: false, referenceTo: ['User'] }),
  field('LastModifiedDate', 'datetime', { ...readOnly, nillable: false }),
  field('LastModifiedById', 'reference', { ...readOnly, nillable: false, referenceTo: ['User'] }),
  field('SystemModstamp', 'datetime', { ...readOnly, nillable: false }),
];
const owner = () => field('OwnerId', 'reference', { referenceTo: ['User'], label: 'Owner ID' });

/** Stage name → what Salesforce's OpportunityStage says about it. */
export const opportunityStages = [
  { name: 'Prospecting', probability: 10, isClosed: false, isWon: false },
  { name: 'Qualification', probability: 20, isClosed: false, isWon: false },
  { name: 'Proposal/Price Quote', probability: 60, isClosed: false, isWon: false },
  { name: 'Negotiation/Review', probability: 80, isClosed: false, isWon: false },
  { name: 'Closed Won', probability: 100, isClosed: true, isWon: true },
  { name: 'Closed Lost', probability: 0, isClosed: true, isWon: false },
];
export const industryValues = ['Software', 'Manufacturing', 'Healthcare', 'Retail', 'Financial Services', 'Logistics', 'Education', 'Energy', 'Other'];
const leadStatuses = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];

export function standardObjects(): ObjectDef[] {
  const object = (name: string, keyPrefix: string, fields: FieldDef[], labelPlural = `${name}s`, createable = true): ObjectDef => ({
    name, label: name.replace(/([a-z])([A-Z])/g, '$1 $2'), labelPlural, keyPrefix, fields: [...system(), ...fields], createable,
  });
  return [
    object('Account', '001', [
      field('Name', 'string', { required: true, label: 'Account Name' }),
      field('Website', 'url'), field('Industry', 'picklist', { picklistValues: industryValues }),
      field('BillingCity', 'string'), field('BillingCountry', 'string'), field('Phone', 'phone'),
      field('NumberOfEmployees', 'int', { label: 'Employees' }), field('Description', 'textarea'), owner(),
    ]),
    object('Contact', '003', [
      field('FirstName', 'string'), field('LastName', 'string', { required: true }),
      field('Name', 'string', { ...readOnly, label: 'Full Name' }), field('Email', 'email'), field('Phone', 'phone'),
      field('Title', 'string'), field('AccountId', 'reference', { referenceTo: ['Account'] }), field('Description', 'textarea'), owner(),
    ]),
    object('Lead', '00Q', [
      field('FirstName', 'string'), field('LastName', 'string', { required: true }),
      field('Name', 'string', { ...readOnly, label: 'Full Name' }), field('Email', 'email'), field('Phone', 'phone'),
      field('Title', 'string'), field('Company', 'string', { required: true }),
      field('Status', 'picklist', { picklistValues: leadStatuses, restrictedPicklist: true }), field('IsConverted', 'boolean', readOnly), owner(),
    ]),
    object('Opportunity', '006', [
      field('Name', 'string', { required: true }), field('AccountId', 'reference', { referenceTo: ['Account'] }),
      field('StageName', 'picklist', { required: true, picklistValues: opportunityStages.map((s) => s.name), restrictedPicklist: true, label: 'Stage' }),
      field('Amount', 'currency'), field('CloseDate', 'date', { required: true }), field('Probability', 'percent'),
      field('IsClosed', 'boolean', readOnly), field('IsWon', 'boolean', readOnly),
      field('Type', 'picklist', { picklistValues: ['New Business', 'Existing Business'] }), field('Description', 'textarea'), owner(),
    ], 'Opportunities'),
    object('OpportunityContactRole', '00K', [
      field('OpportunityId', 'reference', { required: true, referenceTo: ['Opportunity'], updateable: false }),
      field('ContactId', 'reference', { required: true, referenceTo: ['Contact'] }),
      field('Role', 'picklist', { picklistValues: ['Decision Maker', 'Economic Buyer', 'Influencer', 'Evaluator', 'Other'] }),
      field('IsPrimary', 'boolean'),
    ]),
    object('OpportunityHistory', '008', [
      field('OpportunityId', 'reference', { ...readOnly, referenceTo: ['Opportunity'] }), field('StageName', 'picklist', { ...readOnly, picklistValues: opportunityStages.map((s) => s.name) }),
      field('Amount', 'currency', readOnly), field('CloseDate', 'date', readOnly), field('Probability', 'percent', readOnly),
    ], 'Opportunity History', false),
    object('OpportunityStage', '01J', [
      field('MasterLabel', 'string', readOnly), field('ApiName', 'string', readOnly), field('IsActive', 'boolean', readOnly),
      field('IsClosed', 'boolean', readOnly), field('IsWon', 'boolean', readOnly), field('DefaultProbability', 'percent', readOnly), field('SortOrder', 'int', readOnly),
    ], 'Opportunity Stages', false),
    object('Task', '00T', [
      field('Subject', 'string'), field('Description', 'textarea', { label: 'Comments' }), field('ActivityDate', 'date', { label: 'Due Date' }),
      field('Status', 'picklist', { required: true, picklistValues: ['Not Started', 'In Progress', 'Completed'], restrictedPicklist: true }),
      field('Priority', 'picklist', { picklistValues: ['High', 'Normal', 'Low'] }),
      field('TaskSubtype', 'picklist', { picklistValues: ['Task', 'Email', 'Call', 'ListEmail', 'Cadence'], updateable: false }),
      field('CallDurationInSeconds', 'int'), field('CompletedDateTime', 'datetime', readOnly),
      field('WhoId', 'reference', { referenceTo: ['Contact', 'Lead'] }), field('WhatId', 'reference', { referenceTo: ['Account', 'Opportunity'] }), owner(),
    ]),
    object('EmailMessage', '02s', [
      field('Subject', 'string'), field('TextBody', 'textarea'), field('HtmlBody', 'textarea'), field('FromAddress', 'email'),
      field('FromName', 'string'), field('ToAddress', 'string'), field('MessageDate', 'datetime'), field('Incoming', 'boolean'),
      field('Status', 'picklist', { picklistValues: ['0', '1', '2', '3', '4', '5'], label: 'Status' }),
      field('MessageIdentifier', 'string'), field('RelatedToId', 'reference', { referenceTo: ['Account', 'Opportunity'] }),
    ]),
    object('User', '005', [
      field('Username', 'string', readOnly), field('FirstName', 'string', readOnly), field('LastName', 'string', readOnly),
      field('Name', 'string', { ...readOnly, label: 'Full Name' }), field('Email', 'email', readOnly), field('IsActive', 'boolean', readOnly),
    ], 'Users', false),
  ];
}
