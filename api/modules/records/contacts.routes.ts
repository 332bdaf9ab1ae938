import { Contact, ContactCreate, ContactListQuery, ContactUpdate } from '../../../core/schemas/contacts.ts';
import { createContact, deleteContact, getContact, listContacts, restoreContact, updateContact } from './contacts.service.ts';
import { recordRoutes } from './record-routes.ts';

export const contactRoutes = recordRoutes(
  {
    path: '/contacts', tag: 'Contacts', noun: 'contact',
    schemas: { item: Contact, create: ContactCreate, update: ContactUpdate, query: ContactListQuery },
    createDescription: 'Without companyId, the contact joins the company whose domain matches its email (never for free-mail domains). `q` on the list searches names, email and company name; each word matches the start of a word.',
  },
  { list: listContacts, create: createContact, get: getContact, update: updateContact, remove: deleteContact, restore: restoreContact },
);
