// Names for the API types the web app uses, all read from the generated openapi.d.ts (never
// written by hand): a change to the API shows up here as a type error where it matters.
import type { components } from '../api-client/openapi.d.ts';

type Schemas = components['schemas'];
export type { Activity, Company, Contact, Deal, DealRisk, Me, Pipeline } from '../api-client/api-types.ts';
export type BoardDeal = Schemas['BoardDeal'];
export type DealBoard = Schemas['DealBoard'];
export type StageNorm = Schemas['StageNorm'];
export type Stage = Schemas['Stage'];
export type Member = Schemas['Member'];
export type Team = Schemas['Team'];
export type Invitation = Schemas['Invitation'];
export type ApiKey = Schemas['ApiKey'];
export type LiveChange = Schemas['LiveChange'];
export type AuditEntry = Schemas['AuditEntry'];
export type TrashItem = Schemas['TrashItem'];
export type RiskSettingsView = Schemas['RiskSettingsView'];
export type RiskSettings = Schemas['RiskSettings'];
export type RiskSettingsPreview = Schemas['RiskSettingsPreview'];
export type TrackingSettings = Schemas['TrackingSettings'];
export type AppNotification = Schemas['Notification'];
export type StageChange = Schemas['StageChange'];
export type Role = Schemas['Me']['role'];
