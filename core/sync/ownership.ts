// Who owns a mapped field, as the admin chose it.
//   crm_wins     both sides flow; when both changed since the last sync, the CRM's value stays
//   inbox_wins   both sides flow; when both changed, the inbox's value is sent to the CRM
//   most_recent  both sides flow; when both changed, the later change wins, by both sides' timestamps
//   read_only    the CRM's value is shown in the inbox and never sent back
//   dont_sync    the field is left alone on both sides
export const ownerships = ['crm_wins', 'inbox_wins', 'most_recent', 'read_only', 'dont_sync'] as const;
export type Ownership = (typeof ownerships)[number];
