import { Loaded, Page, useLoad } from '../components';
import { Link } from '../router';
import { listModules } from '../api/modules';
import { getTariff } from '../api/tariffs';
import { TariffClone } from './tariff/clone-tab';
import { TariffEdit } from './tariff/edit-tab';
import { TariffModules } from './tariff/modules-tab';
import { TariffOsList } from './tariff/os-list-tab';

const TABS: [string, string][] = [
  ['edit', '✎ Edit'],
  ['modules', '⇄ Modules'],
  ['clone', '❐ Clone'],
  ['os', '☰ OS list'],
];

/** One tariff plan: Edit, Modules, Clone and its orderable OS list. */
export function TariffPage({ tariffId, tab }: { tariffId: number; tab: string }) {
  const tariff = useLoad(() => getTariff(tariffId), [tariffId]);
  const modules = useLoad(() => listModules(), []);
  const t = tariff.data;
  return (
    <Page
      title={t ? `Tariff plan: ${t.name}` : 'Tariff plan'}
      crumbs={
        <>
          <span>Products</span> › <Link href="/products/tariffs">Tariff plans</Link>
        </>
      }
    >
      <nav className="tabs">
        {TABS.map(([name, label]) => (
          <Link
            key={name}
            href={`/products/tariffs/${tariffId}/${name}`}
            className={tab === name ? 'tab active' : 'tab'}
            aria-current={tab === name ? 'page' : undefined}
          >
            {label}
          </Link>
        ))}
      </nav>
      <Loaded load={tariff} label="Loading tariff plan…">
        {(t) =>
          tab === 'modules' ? (
            <TariffModules tariff={t} modules={modules.data?.items ?? []} onChange={tariff.setData} />
          ) : tab === 'clone' ? (
            <TariffClone tariff={t} modules={modules.data?.items ?? []} />
          ) : tab === 'os' ? (
            <TariffOsList tariff={t} />
          ) : (
            <TariffEdit tariff={t} onChange={tariff.setData} />
          )
        }
      </Loaded>
    </Page>
  );
}
