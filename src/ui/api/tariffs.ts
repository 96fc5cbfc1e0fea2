import type { Items, OrderableItem, Tariff } from '../types';
import { ADMIN, api, query } from './client';

/** The tariffs API and the storefront's OS list (docs/api.md, "Tariffs", "Storefront"). */
export const listTariffs = () => api.get<Items<Tariff>>(`${ADMIN}/tariffs`);

export const getTariff = (id: number) => api.get<Tariff>(`${ADMIN}/tariffs/${id}`);

export const createTariff = (body: unknown) => api.post<Tariff>(`${ADMIN}/tariffs`, body);

export const updateTariff = (
  id: number,
  body: { name: string; diskMib: number | null; ramMib: number | null },
) => api.patch<Tariff>(`${ADMIN}/tariffs/${id}`, body);

export const setTariffModules = (id: number, moduleIds: number[]) =>
  api.put<Tariff>(`${ADMIN}/tariffs/${id}/modules`, { moduleIds });

export const cloneTariff = (id: number, body: { name?: string; moduleIds?: number[] }) =>
  api.post<Tariff>(`${ADMIN}/tariffs/${id}/clone`, body);

/** The admin order list: what a customer could order, with the module that would build it. */
export const listOrderable = (
  id: number,
  options: { diskMib?: number | null; ramMib?: number | null; purpose?: 'order' | 'reinstall' } = {},
) => api.get<Items<OrderableItem>>(`${ADMIN}/tariffs/${id}/orderable${query(options)}`);

/** The tariff's OS list exactly as the shop gets it. */
export const getStorefrontList = (id: number) =>
  api.get<{ tariffId: number; items: OrderableItem[] }>(`/api/v1/storefront/tariffs/${id}/os`);
