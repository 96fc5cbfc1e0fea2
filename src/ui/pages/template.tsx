import { Loaded, Page, StatusIcon, useLoad } from '../components';
import { Link } from '../router';
import { templatePath, valuesPath } from '../paths';
import { EditTab } from './template/edit-tab';
import { ModulesTab } from './template/modules-tab';
import { TariffsTab } from './template/tariffs-tab';
import { getTemplate } from '../api/templates';

export type TemplateTab = 'edit' | 'modules' | 'tariffs';

/** One template: Edit, Modules and Tariff plans (the seed's buttons on a selected value). */
export function TemplatePage(props: {
  typeId: number;
  parameterId: number;
  templateId: number;
  tab: TemplateTab;
}) {
  const { typeId, parameterId, templateId, tab } = props;
  const detail = useLoad(() => getTemplate(templateId), [templateId]);
  const t = detail.data;
  const tabLink = (name: TemplateTab, label: string) => (
    <Link
      href={templatePath(typeId, parameterId, templateId, name)}
      className={tab === name ? 'tab active' : 'tab'}
      aria-current={tab === name ? 'page' : undefined}
    >
      {label}
    </Link>
  );
  return (
    <Page
      title={t ? t.displayName : 'Template'}
      crumbs={
        <>
          <span>Products</span> › <Link href="/products/product-types">Product types</Link> ›{' '}
          <Link href={valuesPath(typeId, parameterId)}>Operating system › Values</Link>
        </>
      }
      actions={
        t ? (
          <span className="muted">
            <StatusIcon status={t.status} />{' '}
            {t.status === 'all' ? 'on all tariffs' : t.status === 'some' ? 'on some tariffs' : 'on no tariff'}
          </span>
        ) : null
      }
    >
      <nav className="tabs">
        {tabLink('edit', '✎ Edit')}
        {tabLink('modules', '⇄ Modules')}
        {tabLink('tariffs', '☰ Tariff plans')}
      </nav>
      <Loaded load={detail} label="Loading template…">
        {(t) =>
          tab === 'modules' ? (
            <ModulesTab template={t} onChange={detail.setData} />
          ) : tab === 'tariffs' ? (
            <TariffsTab template={t} onChange={detail.setData} />
          ) : (
            <EditTab template={t} typeId={typeId} onSaved={detail.reload} />
          )
        }
      </Loaded>
    </Page>
  );
}
