import { Loaded, Page, useLoad } from '../components';
import { Link } from '../router';
import { valuesPath } from '../paths';
import { listParameters, listProductTypes } from '../api/product-types';

/** Products → Product types. */
export function ProductTypesPage() {
  const types = useLoad(() => listProductTypes(), []);
  return (
    <Page title="Product types" crumbs={<span>Products</span>}>
      <Loaded load={types} label="Loading product types…">
        {(data) => (
          <table className="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Parameters</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <Link href={`/products/product-types/${t.id}/parameters`} className="button">
                      Parameters
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
    </Page>
  );
}

/** Products → Product types → (type) → Parameters. */
export function ParametersPage({ typeId }: { typeId: number }) {
  const types = useLoad(() => listProductTypes(), []);
  const params = useLoad(() => listParameters(typeId), [typeId]);
  const typeName = types.data?.items.find((t) => t.id === typeId)?.name ?? `#${typeId}`;
  return (
    <Page
      title={`Parameters of ${typeName}`}
      crumbs={
        <>
          <span>Products</span> › <Link href="/products/product-types">Product types</Link> ›{' '}
          <span>{typeName}</span>
        </>
      }
    >
      <Loaded load={params} label="Loading parameters…">
        {(data) => (
          <table className="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Internal name</th>
                <th>Values</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>
                    <code>{p.internalName}</code>
                  </td>
                  <td>
                    <Link href={valuesPath(typeId, p.id)} className="button">
                      Values
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
    </Page>
  );
}
