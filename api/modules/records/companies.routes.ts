import { Company, CompanyCreate, CompanyListQuery, CompanyUpdate } from '../../../core/schemas/companies.ts';
import { createCompany, deleteCompany, getCompany, listCompanies, restoreCompany, updateCompany } from './companies.service.ts';
import { recordRoutes } from './record-routes.ts';

export const companyRoutes = recordRoutes(
  { path: '/companies', tag: 'Companies', noun: 'company', schemas: { item: Company, create: CompanyCreate, update: CompanyUpdate, query: CompanyListQuery } },
  { list: listCompanies, create: createCompany, get: getCompany, update: updateCompany, remove: deleteCompany, restore: restoreCompany },
);
