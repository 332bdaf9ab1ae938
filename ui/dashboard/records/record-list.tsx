// A searchable list of contacts or companies: the search is the API's partial-word search (each
// word matched at the start of a word), kept in the URL (?q=) so a search can be shared.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useLocation, useSearch } from 'wouter';
import { Icon, type IconName } from '../shell/icons.tsx';
import { download, errorMessage } from '../api.ts';
import { Button, EmptyState, ErrorState, PageHeader, Skeleton, useToast } from '../shell/ui.tsx';

export function RecordList<T extends { id: string }>({ title, path, icon, queryKey, fetchPage, columns, row, emptyText, exportCsv }: {
  title: string;
  path: string;
  icon: IconName;
  queryKey: readonly unknown[];
  fetchPage: (q: string | undefined, cursor: string | undefined) => Promise<{ data: T[]; nextCursor: string | null }>;
  columns: string[];
  row: (item: T) => ReactNode;
  emptyText: string;
  /** The server's CSV export of what the list shows (its search included); the button downloads it. */
  exportCsv?: (q: string | undefined) => Promise<string>;
}) {
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const q = new URLSearchParams(useSearch()).get('q') ?? '';
  const [, navigate] = useLocation();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const list = useInfiniteQuery({
    queryKey: [...queryKey, 'list', q],
    queryFn: ({ pageParam }) => fetchPage(q || undefined, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div className="page">
      <PageHeader
        title={title}
        actions={exportCsv && (
          <Button
            icon="download"
            busy={exporting}
            onClick={async () => {
              setExporting(true);
              try {
                download(await exportCsv(q || undefined), `${title.toLowerCase()}-${new Date().toISOString().slice(0, 10)}.csv`);
              } catch (err) {
                toast(`The export failed: ${errorMessage(err)}`, 'error');
              } finally {
                setExporting(false);
              }
            }}
          >
            Export CSV
          </Button>
        )}
      />
      <form className="search search-wide" role="search" onSubmit={(e) => { e.preventDefault(); navigate(`${path}${text.trim() ? `?q=${encodeURIComponent(text.trim())}` : ''}`, { replace: true }); }}>
        <Icon name="search" size={16} />
        <input type="search" aria-label={`Search ${title.toLowerCase()}`} placeholder={`Search ${title.toLowerCase()} — part of a word is enough`} value={text} onChange={(e) => setText(e.target.value)} />
        <Button type="submit" kind="primary">Search</Button>
      </form>
      {list.isPending ? <Skeleton lines={8} height={20} /> : list.isError ? <ErrorState error={list.error} retry={() => void list.refetch()} /> : items.length === 0 ? (
        <EmptyState icon={icon} title={q ? `Nothing matches “${q}”` : `No ${title.toLowerCase()} yet`}>{q ? 'Try fewer or shorter words.' : emptyText}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead><tr>{columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
            <tbody>{items.map((item) => <tr key={item.id}>{row(item)}</tr>)}</tbody>
          </table>
          {list.hasNextPage && <div className="more-row"><Button busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>Show more</Button></div>}
        </div>
      )}
    </div>
  );
}
