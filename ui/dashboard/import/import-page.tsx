// /app/import (admins and managers): bring a CSV in. Upload (the file goes to the API as it is,
// streamed), check the detected column mapping and change it, see the first rows as they will be
// stored with the reason for every rejected one, choose what happens to duplicates, run a dry run,
// then the import in the background with its progress; download the rejected rows and undo it all.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { call, chosenOrganization, isApiError, useApi } from '../api.ts';
import { useSession } from '../session.tsx';
import { Badge, Button, ErrorState, PageHeader, Skeleton } from '../shell/ui.tsx';
import './import.css';

type ImportObject = 'contacts' | 'companies' | 'deals';
type Duplicates = 'skip' | 'update' | 'create';

const objectLabels: Record<ImportObject, string> = { contacts: 'Contacts', companies: 'Companies', deals: 'Deals' };
const duplicateLabels: Record<Duplicates, string> = {
  skip: 'Skip the row (keep what is stored)',
  update: 'Update the record with the filled cells (undo restores the old values)',
  create: 'Create another record (not possible for a contact\'s email or a company\'s domain)',
};
const actionTone = { create: 'success', update: 'info', skip: 'neutral', reject: 'danger' } as const;

const importKey = (id: string) => ['imports', id] as const;

/** The API's own address (the app is served from it). */
const apiPath = (path: string) => `/api/v1${path}`;

async function sendFile(object: ImportObject, file: File): Promise<{ import: { id: string } }> {
  const headers: Record<string, string> = { 'content-type': 'text/csv' };
  const org = chosenOrganization();
  if (org) headers['X-Org-Id'] = org;
  const res = await fetch(apiPath(`/imports?object=${object}&fileName=${encodeURIComponent(file.name)}`), { method: 'POST', headers, body: file, credentials: 'same-origin' });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `The upload failed (${res.status})`);
  return body;
}

async function downloadReport(id: string) {
  const headers: Record<string, string> = {};
  const org = chosenOrganization();
  if (org) headers['X-Org-Id'] = org;
  const res = await fetch(apiPath(`/imports/${id}/rejected.csv`), { headers, credentials: 'same-origin' });
  if (!res.ok) throw new Error(`The report could not be downloaded (${res.status})`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `import-${id.slice(0, 8)}-rejected.csv`;
  a.click();
  URL.revokeObjectURL(url);
}

export function ImportPage() {
  const { me } = useSession();
  const [importId, setImportId] = useState<string | null>(() => new URLSearchParams(window.location.search).get('id'));
  if (me.role !== 'admin' && me.role !== 'manager') {
    return (
      <div className="page page-narrow">
        <PageHeader title="Import" />
        <p className="muted">Only admins and managers can import records. Ask one of them to import your file.</p>
      </div>
    );
  }
  return (
    <div className="page page-narrow import-page">
      <PageHeader title="Import from CSV" subtitle="Contacts, companies or deals from HubSpot, Salesforce, Pipedrive or a spreadsheet" actions={importId ? <Button onClick={() => setImportId(null)}>New import</Button> : undefined} />
      {importId ? <ImportSteps id={importId} /> : <UploadStep onUploaded={(id) => { setImportId(id); window.history.replaceState(null, '', `?id=${id}`); }} />}
    </div>
  );
}

function UploadStep({ onUploaded }: { onUploaded: (id: string) => void }) {
  const [object, setObject] = useState<ImportObject>('contacts');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      onUploaded((await sendFile(object, file)).import.id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="settings-card import-upload" aria-labelledby="upload-title">
      <h2 id="upload-title">1. Choose a file</h2>
      <p className="muted">A CSV in UTF-8 (or UTF-16 with a byte-order mark), separated by commas, semicolons or tabs, up to 50 MB. Import companies first, then contacts, then deals, so each can link to the others.</p>
      <div className="import-upload-row">
        <label>
          What it holds{' '}
          <select value={object} onChange={(e) => setObject(e.target.value as ImportObject)}>
            {(Object.keys(objectLabels) as ImportObject[]).map((o) => <option key={o} value={o}>{objectLabels[o]}</option>)}
          </select>
        </label>
        <label>
          File <input type="file" accept=".csv,.tsv,.txt,text/csv" onChange={(e: ChangeEvent<HTMLInputElement>) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <Button kind="primary" disabled={!file} busy={busy} onClick={() => void upload()}>Upload and preview</Button>
      </div>
      {error && <p className="import-error" role="alert">{error}</p>}
    </section>
  );
}

function ImportSteps({ id }: { id: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const query = useQuery({
    queryKey: importKey(id),
    queryFn: () => call(api.GET('/imports/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && ['queued', 'running'].includes(q.state.data.import.status) ? 1000 : false),
  });
  if (query.isPending) return <Skeleton lines={8} height={20} />;
  if (query.isError) return <ErrorState error={query.error} title="This import" retry={() => void query.refetch()} />;
  const { import: imp, preview } = query.data;
  const editable = ['uploaded', 'checked', 'failed'].includes(imp.status);
  const act = async (name: string, run: () => Promise<unknown>) => {
    setBusy(name);
    setError(null);
    try {
      const result = await run();
      if (result && typeof result === 'object' && 'import' in result) queryClient.setQueryData(importKey(id), (old: typeof query.data) => ({ ...(result as typeof query.data), preview: (result as typeof query.data).preview.length ? (result as typeof query.data).preview : (old?.preview ?? []) }));
      await queryClient.invalidateQueries({ queryKey: importKey(id) });
    } catch (err) {
      setError(isApiError(err) ? err.message : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };
  const patch = (body: { mapping?: Record<string, string>; duplicates?: Duplicates }) => act('patch', () => call(api.PATCH('/imports/{id}', { params: { path: { id } }, body })));
  const setColumn = (column: number, field: string) => {
    const mapping = Object.fromEntries(Object.entries(imp.mapping).filter(([c, f]) => c !== String(column) && f !== field));
    if (field) mapping[String(column)] = field;
    void patch({ mapping });
  };
  const sample = preview[0]?.cells ?? [];
  const running = imp.status === 'queued' || imp.status === 'running';
  const percent = imp.progress.totalRows ? Math.round((100 * imp.progress.rowsDone) / imp.progress.totalRows) : 0;
  return (
    <div className="import-steps">
      <p className="import-file">
        <strong>{imp.fileName ?? 'Upload'}</strong> · {objectLabels[imp.object]} · {imp.totalRows.toLocaleString('en-US')} rows · {imp.delimiter === '\t' ? 'tab' : imp.delimiter === ';' ? 'semicolon' : 'comma'}-separated · {imp.encoding.toUpperCase()} <StatusBadge status={imp.status} dryRun={imp.dryRun} />
      </p>
      {error && <p className="import-error" role="alert">{error}</p>}

      <section className="settings-card" aria-labelledby="mapping-title">
        <h2 id="mapping-title">2. Columns</h2>
        <p className="muted">Detected from the headers; change any of them. Columns set to "Not imported" are left out.</p>
        <table className="import-table">
          <thead><tr><th>Column in the file</th><th>First row</th><th>Goes to</th></tr></thead>
          <tbody>
            {imp.headers.map((header, column) => (
              <tr key={column}>
                <td>{header || <span className="muted">(no name)</span>}</td>
                <td className="import-sample">{sample[column] ?? ''}</td>
                <td>
                  <select aria-label={`Field for ${header}`} disabled={!editable || busy !== null} value={imp.mapping[String(column)] ?? ''} onChange={(e) => setColumn(column, e.target.value)}>
                    <option value="">Not imported</option>
                    {imp.fields.map((f) => <option key={f.field} value={f.field}>{f.label}{f.required ? ' (required)' : ''}</option>)}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {imp.object !== 'deals' && (
        <section className="settings-card" aria-labelledby="duplicates-title">
          <h2 id="duplicates-title">3. Duplicates</h2>
          <p className="muted">{imp.object === 'contacts' ? 'A row whose email is already a contact.' : 'A row whose domain, or name without "Inc", "GmbH" and the like, is already a company.'}</p>
          {(Object.keys(duplicateLabels) as Duplicates[]).map((d) => (
            <label key={d} className="import-radio">
              <input type="radio" name="duplicates" value={d} checked={imp.duplicates === d} disabled={!editable || busy !== null} onChange={() => void patch({ duplicates: d })} /> {duplicateLabels[d]}
            </label>
          ))}
        </section>
      )}

      <section className="settings-card" aria-labelledby="preview-title">
        <h2 id="preview-title">{imp.object === 'deals' ? '3' : '4'}. Preview of the first rows</h2>
        {!editable ? <p className="muted">The preview is shown before the import starts.</p> : preview.length === 0 ? <p className="muted">Map the required fields to see the preview.</p> : (
          <table className="import-table">
            <thead><tr><th>Row</th><th>Outcome</th><th>As stored</th></tr></thead>
            <tbody>
              {preview.map((row) => (
                <tr key={row.rowNumber}>
                  <td>{row.rowNumber}</td>
                  <td><Badge tone={actionTone[row.action]}>{row.action}</Badge></td>
                  <td>
                    {row.values && <span className="import-values">{Object.entries(row.values).filter(([k, v]) => v !== null && v !== '' && !k.endsWith('Id')).map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}</span>}
                    {row.reasons.length > 0 && <span className="import-reasons">{row.reasons.join('; ')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="settings-card" aria-labelledby="run-title">
        <h2 id="run-title">{imp.object === 'deals' ? '4' : '5'}. Import</h2>
        {running && (
          <div className="import-progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label="Import progress">
            <div style={{ width: `${percent}%` }} />
            <span>{imp.progress.rowsDone.toLocaleString('en-US')} of {imp.progress.totalRows.toLocaleString('en-US')} rows</span>
          </div>
        )}
        {(imp.status === 'checked' || imp.status === 'done' || imp.status === 'failed' || imp.status === 'undone') && (
          <p className="import-counts">
            {imp.status === 'checked' ? 'The dry run found: ' : imp.status === 'undone' ? 'Undone. The import had: ' : ''}
            <strong>{imp.counts.created}</strong> {imp.status === 'checked' ? 'to create' : 'created'}, <strong>{imp.counts.updated}</strong> {imp.status === 'checked' ? 'to update' : 'updated'}, <strong>{imp.counts.skipped}</strong> skipped, <strong>{imp.counts.rejected}</strong> rejected.
            {imp.error && <span className="import-error"> {imp.error}</span>}
          </p>
        )}
        <div className="page-actions">
          {editable && <Button busy={busy === 'dry'} disabled={busy !== null || preview.length === 0} onClick={() => void act('dry', () => call(api.POST('/imports/{id}/start', { params: { path: { id } }, body: { dryRun: true } })))}>Dry run</Button>}
          {editable && <Button kind="primary" busy={busy === 'start'} disabled={busy !== null || preview.length === 0} onClick={() => void act('start', () => call(api.POST('/imports/{id}/start', { params: { path: { id } }, body: { dryRun: false } })))}>Import {imp.totalRows.toLocaleString('en-US')} rows</Button>}
          {imp.counts.rejected > 0 && !running && <Button icon="download" onClick={() => void downloadReport(id).catch((err: Error) => setError(err.message))}>Rejected rows (CSV)</Button>}
          {(imp.status === 'done' || (imp.status === 'failed' && !imp.dryRun)) && <Button kind="danger" busy={busy === 'undo'} disabled={busy !== null} onClick={() => { if (window.confirm('Undo this import? What it created goes to the trash (restorable for 30 days) and what it updated gets its previous values.')) void act('undo', () => call(api.POST('/imports/{id}/undo', { params: { path: { id } } }))); }}>Undo import</Button>}
        </div>
      </section>
    </div>
  );
}

function StatusBadge({ status, dryRun }: { status: string; dryRun: boolean }) {
  const label = status === 'checked' ? 'dry run done' : status === 'queued' ? (dryRun ? 'dry run queued' : 'queued') : status === 'running' ? (dryRun ? 'dry run…' : 'importing…') : status;
  const tone = status === 'done' ? 'success' : status === 'failed' ? 'danger' : status === 'undone' ? 'warning' : 'info';
  return <Badge tone={tone}>{label}</Badge>;
}
