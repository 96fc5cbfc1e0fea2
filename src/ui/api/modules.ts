import type { ConnectionTest, Items, Module, SyncRun } from '../types';
import { ADMIN, api } from './client';

/** The processing modules API (docs/api.md, "Modules"). */
export const listModules = () => api.get<Items<Module>>(`${ADMIN}/modules`);

export const getModule = (id: number) => api.get<Module>(`${ADMIN}/modules/${id}`);

/** Adds a module and runs its first sync. */
export const addModule = (body: unknown) =>
  api.post<{ module: Module; initialSync: SyncRun }>(`${ADMIN}/modules`, body);

export const updateModule = (id: number, body: unknown) => api.patch<Module>(`${ADMIN}/modules/${id}`, body);

export const setModuleEnabled = (id: number, enabled: boolean) =>
  api.post(`${ADMIN}/modules/${id}/${enabled ? 'enable' : 'disable'}`);

/** Tests settings not saved yet. */
export const testConnection = (connection: unknown) =>
  api.post<ConnectionTest>(`${ADMIN}/modules/test-connection`, connection);

/** Tests a saved module's connection. */
export const testModuleConnection = (id: number) =>
  api.post<ConnectionTest>(`${ADMIN}/modules/${id}/test-connection`);
