import type { Items, TemplateDetail, TemplateListItem } from '../types';
import { ADMIN, api, query } from './client';

/** The OS templates API (docs/api.md, "Templates"). */
export const listTemplates = (productTypeId: number, includeRetired: boolean) =>
  api.get<Items<TemplateListItem>>(`${ADMIN}/templates${query({ productTypeId, includeRetired })}`);

export const getTemplate = (id: number) => api.get<TemplateDetail>(`${ADMIN}/templates/${id}`);

export const editTemplate = (id: number, body: { displayName?: string; sort?: number; tags?: string[] }) =>
  api.patch(`${ADMIN}/templates/${id}`, body);

/** `disable`, `enable` or `approve` one template. */
export const actOnTemplate = (id: number, action: 'disable' | 'enable' | 'approve') =>
  api.post(`${ADMIN}/templates/${id}/${action}`);

/** Deprecates a template (now, or from `eolAt`), optionally naming its replacement. */
export const deprecateTemplate = (id: number, body: { eolAt?: string; replacementId?: number }) =>
  api.post(`${ADMIN}/templates/${id}/deprecate`, body);

export const undeprecateTemplate = (id: number) => api.post(`${ADMIN}/templates/${id}/undeprecate`);

export const reorderTemplates = (items: { id: number; sort: number }[]) =>
  api.put(`${ADMIN}/templates/order`, { items });

export const setTemplateTariffs = (id: number, tariffIds: number[], enabled: boolean) =>
  api.put<TemplateDetail>(`${ADMIN}/templates/${id}/tariffs`, { tariffIds, enabled });

export const setTemplateConnection = (id: number, moduleId: number, connected: boolean) =>
  api.put<TemplateDetail>(`${ADMIN}/templates/${id}/modules/${moduleId}`, { connected });
