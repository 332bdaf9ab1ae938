// What an import can fill per object, and the header names the common exports use for each field
// (HubSpot, Salesforce reports and Data Loader, Pipedrive, and plain spreadsheets). Headers are
// compared after normalizeHeader, so "Phone Number", "phone_number" and "PhoneNumber" are one.
export const importObjects = ['contacts', 'companies', 'deals'] as const;
export type ImportObject = (typeof importObjects)[number];

export interface FieldSpec {
  field: string;
  label: string;
  required?: boolean;
  aliases: readonly string[];
}

const OWNER = ['owner', 'owner email', 'assigned to', 'sales rep'];

export const fieldsOf: Record<ImportObject, readonly FieldSpec[]> = {
  contacts: [
    { field: 'email', label: 'Email', required: true, aliases: ['email', 'email address', 'e-mail', 'work email', 'person - email', 'person - email - work', 'primary email'] },
    { field: 'firstName', label: 'First name', aliases: ['first name', 'firstname', 'given name', 'person - first name'] },
    { field: 'lastName', label: 'Last name', aliases: ['last name', 'lastname', 'surname', 'family name', 'person - last name'] },
    { field: 'fullName', label: 'Full name (split into first and last)', aliases: ['name', 'full name', 'contact name', 'person - name', 'contact'] },
    { field: 'title', label: 'Job title', aliases: ['title', 'job title', 'jobtitle', 'position', 'role', 'person - job title'] },
    { field: 'phone', label: 'Phone', aliases: ['phone', 'phone number', 'mobile', 'mobile phone', 'mobile phone number', 'work phone', 'person - phone', 'person - phone - work', 'business phone'] },
    { field: 'company', label: 'Company name', aliases: ['company', 'company name', 'account name', 'account', 'organization', 'organisation', 'person - organization', 'associated company'] },
    { field: 'owner', label: 'Owner (member email or name)', aliases: ['contact owner', 'person - owner', 'hubspot owner', ...OWNER] },
  ],
  companies: [
    { field: 'name', label: 'Name', required: true, aliases: ['name', 'company name', 'company', 'account name', 'account', 'organization', 'organisation', 'organization - name', 'organisation name', 'organization name'] },
    { field: 'domain', label: 'Domain or website', aliases: ['domain', 'company domain name', 'website', 'website url', 'web site', 'url', 'organization - website', 'organization - domain'] },
    { field: 'industry', label: 'Industry', aliases: ['industry', 'sector', 'organization - industry', 'account industry'] },
    { field: 'owner', label: 'Owner (member email or name)', aliases: ['company owner', 'account owner', 'organization - owner', 'hubspot owner', ...OWNER] },
  ],
  deals: [
    { field: 'name', label: 'Name', required: true, aliases: ['name', 'deal name', 'deal', 'opportunity name', 'opportunity', 'deal - title', 'title', 'dealname'] },
    { field: 'value', label: 'Amount', aliases: ['amount', 'value', 'deal value', 'deal amount', 'deal - value', 'opportunity amount', 'amount in company currency'] },
    { field: 'currency', label: 'Currency (ISO code)', aliases: ['currency', 'deal currency', 'deal currency code', 'opportunity currency', 'deal - currency', 'currency iso code'] },
    { field: 'stage', label: 'Stage (by name)', aliases: ['stage', 'deal stage', 'dealstage', 'stage name', 'stagename', 'deal - stage', 'opportunity stage'] },
    { field: 'expectedCloseDate', label: 'Expected close date', aliases: ['close date', 'closedate', 'expected close date', 'deal - expected close date', 'expected close', 'closing date'] },
    { field: 'owner', label: 'Owner (member email or name)', aliases: ['deal owner', 'opportunity owner', 'deal - owner', 'hubspot owner', ...OWNER] },
    { field: 'company', label: 'Company (name or domain)', aliases: ['company', 'company name', 'account name', 'account', 'associated company', 'deal - organization', 'organization'] },
    { field: 'contactEmail', label: 'Contact email', aliases: ['contact email', 'associated contact', 'contact', 'deal - contact person', 'contact person', 'email', 'primary contact email'] },
  ],
};

/** Lower-case letters and digits only: the export's decoration (spaces, dashes, underscores, case) does not matter. */
export const normalizeHeader = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');
