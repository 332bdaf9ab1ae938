import { describe, expect, it } from 'vitest';
import { titleFromSignature } from './signature-title.ts';

describe('titleFromSignature', () => {
  it.each([
    ['name then title', 'Hi Riley,\n\nSounds good.\n\nBest,\nDana Whitfield\nVP Sales\nNewco Inc.', 'Dana Whitfield', 'VP Sales'],
    ['title with company after a comma', 'Thanks!\n\nMarco\nHead of IT, Northwind Traders', 'Marco Rossi', 'Head of IT'],
    ['title with "at" company', 'Cheers,\nPriya Shah\nProcurement Manager at Acme', 'Priya Shah', 'Procurement Manager'],
    ['pipe separated', 'Regards,\nAnn Lee\nChief Financial Officer | Acme Corp | +1 555 0100', 'Ann Lee', 'Chief Financial Officer'],
    ['no name line: after the sign-off', 'Let us talk.\n\nBest regards,\nDirector of Operations', 'Sam', 'Director of Operations'],
  ])('%s', (_case, body, name, title) => {
    expect(titleFromSignature(body, name)).toBe(title);
  });

  it.each([
    ['no signature at all', 'Can we meet on Thursday?', 'Ann Lee'],
    ['a name with only contact details', 'Best,\nAnn\nann@acme.test\n+1 555 0100', 'Ann Lee'],
    ['a phone line right under the name', 'Best,\nAnn Lee\n+1 (555) 010-0100\nVP Sales', 'Ann Lee'],
    ['a sentence, not a title', 'Best,\nAnn\nLooking forward to it', 'Ann Lee'],
    ['the title belongs to quoted mail', 'Sure.\n\nOn Tue, Riley wrote:\n> Best,\n> Riley\n> Account Executive', 'Ann Lee'],
  ])('%s: nothing', (_case, body, name) => {
    expect(titleFromSignature(body, name)).toBeNull();
  });
});
