import { describe, expect, it } from 'vitest';
import type { ImportObject } from './fields.ts';
import { detectMapping, mappingProblems } from './mapping.ts';

// Header rows as the tools export them (HubSpot's "Export view", Salesforce reports and Data Loader
// API names, Pipedrive's "Export data", a hand-made spreadsheet), and the fields each should fill.
const cases: { source: string; object: ImportObject; headers: string[]; expected: Record<string, string> }[] = [
  {
    source: 'HubSpot contacts',
    object: 'contacts',
    headers: ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Contact owner', 'Job Title', 'Company Name', 'Lifecycle Stage', 'Create Date'],
    expected: { 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', 'Phone Number': 'phone', 'Contact owner': 'owner', 'Job Title': 'title', 'Company Name': 'company' },
  },
  {
    source: 'Salesforce contacts report',
    object: 'contacts',
    headers: ['Contact ID', 'First Name', 'Last Name', 'Title', 'Account Name', 'Email', 'Phone', 'Contact Owner', 'Mailing City'],
    expected: { 'First Name': 'firstName', 'Last Name': 'lastName', Title: 'title', 'Account Name': 'company', Email: 'email', Phone: 'phone', 'Contact Owner': 'owner' },
  },
  {
    source: 'Salesforce Data Loader contacts',
    object: 'contacts',
    headers: ['Id', 'FirstName', 'LastName', 'Email', 'Title', 'Phone', 'AccountId'],
    expected: { FirstName: 'firstName', LastName: 'lastName', Email: 'email', Title: 'title', Phone: 'phone' },
  },
  {
    source: 'Pipedrive people',
    object: 'contacts',
    headers: ['Person - ID', 'Person - Name', 'Person - Organization', 'Person - Email', 'Person - Phone', 'Person - Owner', 'Person - Label'],
    expected: { 'Person - Name': 'fullName', 'Person - Organization': 'company', 'Person - Email': 'email', 'Person - Phone': 'phone', 'Person - Owner': 'owner' },
  },
  {
    source: 'spreadsheet contacts',
    object: 'contacts',
    headers: ['name', 'e-mail', 'company', 'phone', 'notes'],
    expected: { name: 'fullName', 'e-mail': 'email', company: 'company', phone: 'phone' },
  },
  {
    source: 'HubSpot companies',
    object: 'companies',
    headers: ['Record ID', 'Company name', 'Company Domain Name', 'Industry', 'Company owner', 'Phone Number', 'City'],
    expected: { 'Company name': 'name', 'Company Domain Name': 'domain', Industry: 'industry', 'Company owner': 'owner' },
  },
  {
    source: 'Salesforce accounts',
    object: 'companies',
    headers: ['Account ID', 'Account Name', 'Website', 'Industry', 'Account Owner', 'Billing City'],
    expected: { 'Account Name': 'name', Website: 'domain', Industry: 'industry', 'Account Owner': 'owner' },
  },
  {
    source: 'Pipedrive organizations',
    object: 'companies',
    headers: ['Organization - ID', 'Organization - Name', 'Organization - Owner', 'Organization - Address', 'Organization - Website'],
    expected: { 'Organization - Name': 'name', 'Organization - Owner': 'owner', 'Organization - Website': 'domain' },
  },
  {
    source: 'HubSpot deals',
    object: 'deals',
    headers: ['Record ID', 'Deal Name', 'Deal Stage', 'Close Date', 'Deal owner', 'Amount', 'Pipeline', 'Associated Company', 'Associated Contact'],
    expected: { 'Deal Name': 'name', 'Deal Stage': 'stage', 'Close Date': 'expectedCloseDate', 'Deal owner': 'owner', Amount: 'value', 'Associated Company': 'company', 'Associated Contact': 'contactEmail' },
  },
  {
    source: 'Salesforce opportunities',
    object: 'deals',
    headers: ['Opportunity ID', 'Opportunity Name', 'Account Name', 'Amount', 'Close Date', 'Stage', 'Opportunity Owner', 'Probability (%)'],
    expected: { 'Opportunity Name': 'name', 'Account Name': 'company', Amount: 'value', 'Close Date': 'expectedCloseDate', Stage: 'stage', 'Opportunity Owner': 'owner' },
  },
  {
    source: 'Salesforce Data Loader opportunities',
    object: 'deals',
    headers: ['Id', 'Name', 'StageName', 'Amount', 'CloseDate', 'AccountId', 'CurrencyIsoCode'],
    expected: { Name: 'name', StageName: 'stage', Amount: 'value', CloseDate: 'expectedCloseDate', CurrencyIsoCode: 'currency' },
  },
  {
    source: 'Pipedrive deals',
    object: 'deals',
    headers: ['Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Organization', 'Deal - Contact person', 'Deal - Stage', 'Deal - Owner', 'Deal - Expected close date', 'Deal - Pipeline'],
    expected: { 'Deal - Title': 'name', 'Deal - Value': 'value', 'Deal - Currency': 'currency', 'Deal - Organization': 'company', 'Deal - Contact person': 'contactEmail', 'Deal - Stage': 'stage', 'Deal - Owner': 'owner', 'Deal - Expected close date': 'expectedCloseDate' },
  },
];

describe('detectMapping', () => {
  it.each(cases)('$source', ({ object, headers, expected }) => {
    const mapping = detectMapping(headers, object);
    const byHeader = Object.fromEntries(Object.entries(mapping).map(([column, field]) => [headers[Number(column)]!, field]));
    expect(byHeader).toEqual(expected);
    expect(mappingProblems(mapping, headers, object)).toEqual([]);
  });

  it('maps a field from one column only, the first that matches', () => {
    expect(detectMapping(['Email', 'Email Address'], 'contacts')).toEqual({ '0': 'email' });
  });
});

describe('mappingProblems', () => {
  const headers = ['Email', 'Name', 'Other'];
  it.each([
    { mapping: { '1': 'fullName' }, problem: 'No column is mapped to Email, which is required' },
    { mapping: { '0': 'email', '5': 'title' }, problem: 'Column 5 does not exist in the file' },
    { mapping: { '0': 'email', '1': 'salary' }, problem: '"salary" is not a field of contacts' },
    { mapping: { '0': 'email', '2': 'email' }, problem: 'Email is filled by two columns ("Email" and "Other")' },
  ] as { mapping: Record<string, string>; problem: string }[])('$problem', ({ mapping, problem }) => {
    expect(mappingProblems(mapping, headers, 'contacts')).toContain(problem);
  });
});
