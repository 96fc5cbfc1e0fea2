import type { ReactNode } from 'react';
import { matchPath } from './router';
import { AuditPage } from './pages/audit';
import { AddModulePage } from './pages/module-add';
import { ModuleOptionsPage } from './pages/module-options';
import { ModulesPage } from './pages/modules';
import { OrderPreviewPage } from './pages/order-preview';
import { ParametersPage, ProductTypesPage } from './pages/product-types';
import { TariffPage } from './pages/tariff';
import { TariffCreatePage, TariffsPage } from './pages/tariffs';
import { TemplatePage, type TemplateTab } from './pages/template';
import { ValuesPage } from './pages/values';
import { WebhookEndpointPage } from './pages/webhook-endpoint';
import { WebhooksPage } from './pages/webhooks';

const VALUES = '/products/product-types/:typeId/parameters/:parameterId/values';

type Route = [pattern: string, render: (p: Record<string, string>) => ReactNode];

const ROUTES: Route[] = [
  ['/products/product-types', () => <ProductTypesPage />],
  ['/products/product-types/:typeId/parameters', (p) => <ParametersPage typeId={Number(p.typeId)} />],
  [VALUES, (p) => <ValuesPage typeId={Number(p.typeId)} parameterId={Number(p.parameterId)} />],
  [
    `${VALUES}/:templateId/:tab`,
    (p) => (
      <TemplatePage
        typeId={Number(p.typeId)}
        parameterId={Number(p.parameterId)}
        templateId={Number(p.templateId)}
        tab={(p.tab ?? 'edit') as TemplateTab}
      />
    ),
  ],
  ['/products/tariffs', () => <TariffsPage />],
  ['/products/tariffs/new', () => <TariffCreatePage />],
  ['/products/tariffs/:id/:tab', (p) => <TariffPage tariffId={Number(p.id)} tab={p.tab ?? 'edit'} />],
  ['/integrations/modules', () => <ModulesPage />],
  ['/integrations/modules/new', () => <AddModulePage />],
  ['/integrations/modules/:id/options', (p) => <ModuleOptionsPage moduleId={Number(p.id)} />],
  ['/integrations/webhooks', () => <WebhooksPage />],
  ['/integrations/webhooks/:id', (p) => <WebhookEndpointPage endpointId={Number(p.id)} />],
  ['/order-preview', () => <OrderPreviewPage />],
  ['/audit', () => <AuditPage />],
];

/** The page for a client path (the server sends index.html for all of them). */
export function routeFor(path: string): ReactNode {
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) return <div key={path}>{render(params)}</div>;
  }
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>There is no page at {path}. Use the menu on the left.</p>
    </section>
  );
}
