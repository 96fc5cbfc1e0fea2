import type { Items, Parameter, ProductType } from '../types';
import { ADMIN, api } from './client';

/** The product types and their parameters (the seed's Products → Product types walk). */
export const listProductTypes = () => api.get<Items<ProductType>>(`${ADMIN}/product-types`);

export const listParameters = (typeId: number) =>
  api.get<Items<Parameter>>(`${ADMIN}/product-types/${typeId}/parameters`);
