// The HubSpot stand-in's object types, properties and deal pipelines, as the properties and
// pipelines APIs answer them. Each sandbox holds its own copy so a test can change them.
export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface PropertyDef {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  options?: Array<{ label: string; value: string }>;
  readOnly?: boolean;
  hasUniqueValue?: boolean;
}

export const objectTypes = {
  contacts: { id: '0-1', singular: 'contact', lastModified: 'lastmodifieddate', created: 'createdate' },
  companies: { id: '0-2', singular: 'company', lastModified: 'hs_lastmodifieddate', created: 'createdate' },
  deals: { id: '0-3', singular: 'deal', lastModified: 'hs_lastmodifieddate', created: 'createdate' },
  tasks: { id: '0-27', singular: 'task', lastModified: 'hs_lastmodifieddate', created: 'hs_createdate' },
  notes: { id: '0-46', singular: 'note', lastModified: 'hs_lastmodifieddate', created: 'hs_createdate' },
  meetings: { id: '0-47', singular: 'meeting', lastModified: 'hs_lastmodifieddate', created: 'hs_createdate' },
  calls: { id: '0-48', singular: 'call', lastModified: 'hs_lastmodifieddate', created: 'hs_createdate' },
  emails: { id: '0-49', singular: 'email', lastModified: 'hs_lastmodifieddate', created: 'hs_createdate' },
} as const;
export type ObjectType = keyof typeof objectTypes;

/** 'contacts', 'contact', 'CONTACT' or '0-1' → 'contacts'. */
export function objectTypeOf(name: string): ObjectType | undefined {
  const lower = name.toLowerCase();
  return (Object.keys(objectTypes) as ObjectType[]).find((t) => t === lower || objectTypes[t].singular === lower || objectTypes[t].id === lower);
}

/** Properties returned when a read names none. */
export const defaultProperties: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_timestamp'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_timestamp'],
  meetings: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_timestamp'],
  calls: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_timestamp'],
  emails: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_timestamp'],
};

const text = (name: string, label: string, extra: Partial<PropertyDef> = {}): PropertyDef => ({ name, label, type: 'string', fieldType: 'text', groupName: 'information', ...extra });
const number = (name: string, label: string, extra: Partial<PropertyDef> = {}): PropertyDef => ({ name, label, type: 'number', fieldType: 'number', groupName: 'information', ...extra });
const datetime = (name: string, label: string, extra: Partial<PropertyDef> = {}): PropertyDef => ({ name, label, type: 'datetime', fieldType: 'date', groupName: 'information', ...extra });
const choice = (name: string, label: string, values: string[], extra: Partial<PropertyDef> = {}): PropertyDef => ({
  name, label, type: 'enumeration', fieldType: 'select', groupName: 'information', options: values.map((v) => ({ label: v.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase()), value: v })), ...extra,
});
const readOnly = { readOnly: true };
const system = (created: string, modified: string) => [number('hs_object_id', 'Record ID', readOnly), text('hs_merged_object_ids', 'Merged record IDs', readOnly), datetime(created, 'Create date', readOnly), datetime(modified, 'Last modified date', readOnly), text('hubspot_owner_id', 'Owner', { fieldType: 'select' })];
export const industries = ['COMPUTER_SOFTWARE', 'MANUFACTURING', 'HOSPITAL_HEALTH_CARE', 'RETAIL', 'FINANCIAL_SERVICES', 'LOGISTICS_AND_SUPPLY_CHAIN', 'EDUCATION_MANAGEMENT', 'OIL_ENERGY'];

export function standardProperties(): Record<ObjectType, PropertyDef[]> {
  const engagement = (extra: PropertyDef[]) => [...system('hs_createdate', 'hs_lastmodifieddate'), datetime('hs_timestamp', 'Activity date'), ...extra];
  return {
    contacts: [
      ...system('createdate', 'lastmodifieddate'), text('email', 'Email', { hasUniqueValue: true }), text('firstname', 'First name'), text('lastname', 'Last name'),
      text('phone', 'Phone number', { fieldType: 'phonenumber' }), text('jobtitle', 'Job title'), text('company', 'Company name'),
      choice('lifecyclestage', 'Lifecycle stage', ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']),
    ],
    companies: [
      ...system('createdate', 'hs_lastmodifieddate'), text('name', 'Company name'), text('domain', 'Company domain name'), choice('industry', 'Industry', industries),
      text('city', 'City'), text('country', 'Country/Region'), number('numberofemployees', 'Number of employees'), text('description', 'Description', { fieldType: 'textarea' }),
    ],
    deals: [
      ...system('createdate', 'hs_lastmodifieddate'), text('dealname', 'Deal name'), number('amount', 'Amount'), datetime('closedate', 'Close date'),
      text('pipeline', 'Pipeline', { fieldType: 'select' }), text('dealstage', 'Deal stage', { fieldType: 'select' }),
      choice('dealtype', 'Deal type', ['newbusiness', 'existingbusiness']), text('description', 'Deal description', { fieldType: 'textarea' }),
      { name: 'hs_is_closed_won', label: 'Is closed won', type: 'bool', fieldType: 'booleancheckbox', groupName: 'dealinformation', readOnly: true },
    ],
    notes: engagement([text('hs_note_body', 'Note body', { fieldType: 'textarea' })]),
    emails: engagement([
      text('hs_email_subject', 'Email subject'), text('hs_email_text', 'Email body', { fieldType: 'textarea' }),
      choice('hs_email_direction', 'Email direction', ['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']), choice('hs_email_status', 'Email send status', ['SENT', 'BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING']),
    ]),
    calls: engagement([text('hs_call_title', 'Call title'), text('hs_call_body', 'Call notes', { fieldType: 'textarea' }), number('hs_call_duration', 'Call duration'), choice('hs_call_direction', 'Call direction', ['INBOUND', 'OUTBOUND'])]),
    meetings: engagement([text('hs_meeting_title', 'Meeting name'), text('hs_meeting_body', 'Meeting description', { fieldType: 'textarea' }), datetime('hs_meeting_start_time', 'Start time'), datetime('hs_meeting_end_time', 'End time')]),
    tasks: engagement([
      text('hs_task_subject', 'Task title'), text('hs_task_body', 'Task notes', { fieldType: 'textarea' }), choice('hs_task_status', 'Task status', ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
      choice('hs_task_priority', 'Priority', ['LOW', 'MEDIUM', 'HIGH']), choice('hs_task_type', 'Task type', ['CALL', 'EMAIL', 'TODO']),
    ]),
  };
}

export interface Stage { id: string; label: string; probability: string; isClosed: boolean }
export interface Pipeline { id: string; label: string; stages: Stage[] }

export function standardPipelines(): Pipeline[] {
  return [
    {
      id: 'default', label: 'Sales Pipeline', stages: [
        { id: 'appointmentscheduled', label: 'Appointment Scheduled', probability: '0.2', isClosed: false },
        { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: '0.4', isClosed: false },
        { id: 'presentationscheduled', label: 'Presentation Scheduled', probability: '0.6', isClosed: false },
        { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', probability: '0.8', isClosed: false },
        { id: 'contractsent', label: 'Contract Sent', probability: '0.9', isClosed: false },
        { id: 'closedwon', label: 'Closed Won', probability: '1.0', isClosed: true },
        { id: 'closedlost', label: 'Closed Lost', probability: '0.0', isClosed: true },
      ],
    },
    {
      id: '75e28846-ad0d-4be2-a027-5e1da6590b98', label: 'Renewals', stages: [
        { id: '1001', label: 'Renewal due', probability: '0.5', isClosed: false },
        { id: '1002', label: 'Renewal negotiation', probability: '0.8', isClosed: false },
        { id: '1003', label: 'Renewed', probability: '1.0', isClosed: true },
        { id: '1004', label: 'Churned', probability: '0.0', isClosed: true },
      ],
    },
  ];
}

/** HubSpot-defined association type ids, from → to. */
export const associationTypeIds: Record<string, number> = {
  'contacts→companies': 279, 'companies→contacts': 280, 'deals→contacts': 3, 'contacts→deals': 4, 'deals→companies': 341, 'companies→deals': 342,
  'notes→contacts': 202, 'contacts→notes': 201, 'notes→companies': 190, 'companies→notes': 189, 'notes→deals': 214, 'deals→notes': 213,
  'emails→contacts': 198, 'contacts→emails': 197, 'emails→companies': 186, 'companies→emails': 185, 'emails→deals': 210, 'deals→emails': 209,
  'calls→contacts': 194, 'contacts→calls': 193, 'calls→companies': 182, 'companies→calls': 181, 'calls→deals': 206, 'deals→calls': 205,
  'meetings→contacts': 200, 'contacts→meetings': 199, 'meetings→companies': 188, 'companies→meetings': 187, 'meetings→deals': 212, 'deals→meetings': 211,
  'tasks→contacts': 204, 'contacts→tasks': 203, 'tasks→companies': 192, 'companies→tasks': 191, 'tasks→deals': 216, 'deals→tasks': 215,
};
