import type { TemplateTab } from './pages/template';

/** Path of a template's page (one of its tabs). */
export const templatePath = (typeId: number, parameterId: number, templateId: number, tab: TemplateTab) =>
  `/products/product-types/${typeId}/parameters/${parameterId}/values/${templateId}/${tab}`;

export const valuesPath = (typeId: number, parameterId: number) =>
  `/products/product-types/${typeId}/parameters/${parameterId}/values`;
