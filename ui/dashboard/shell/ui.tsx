// The app's small building blocks: buttons, badges, skeletons, empty and error states, a modal
// dialog (the browser's own <dialog>, which traps focus and closes on Escape), toasts and fields.
import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { errorMessage } from '../api.ts';
import { Icon, type IconName } from './icons.tsx';

type ButtonKind = 'primary' | 'secondary' | 'ghost' | 'danger';

export function Button({ kind = 'secondary', icon, busy, children, className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { kind?: ButtonKind; icon?: IconName; busy?: boolean }) {
  return (
    <button type="button" className={`btn btn-${kind}${className ? ` ${className}` : ''}`} aria-busy={busy || undefined} disabled={rest.disabled || busy} {...rest}>
      {busy ? <Spinner small /> : icon ? <Icon name={icon} size={16} /> : null}
      {children}
    </button>
  );
}

export function IconButton({ icon, label, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { icon: IconName; label: string }) {
  return (
    <button type="button" className="icon-btn" aria-label={label} title={label} {...rest}>
      <Icon name={icon} size={16} />
    </button>
  );
}

export const Spinner = ({ small, label = 'Loading' }: { small?: boolean; label?: string }) => (
  <span className={`spinner${small ? ' spinner-small' : ''}`} role="status" aria-label={label} />
);

export function Skeleton({ lines = 3, height }: { lines?: number; height?: number }) {
  return (
    <div className="skeleton-block" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton" style={{ height: height ?? 14, width: `${[92, 76, 84, 60, 70][i % 5]}%` }} />
      ))}
    </div>
  );
}

/** What to do next when there is nothing to show. */
export function EmptyState({ title, children, action, icon = 'board' }: { title: string; children?: ReactNode; action?: ReactNode; icon?: IconName }) {
  return (
    <div className="empty">
      <div className="empty-icon"><Icon name={icon} size={22} /></div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

/** A failure in words the API chose, with a way to try again. */
export function ErrorState({ error, retry, title = 'This could not be loaded' }: { error: unknown; retry?: () => void; title?: string }) {
  return (
    <div className="error-state" role="alert">
      <Icon name="warning" size={20} />
      <div>
        <strong>{title}</strong>
        <p>{errorMessage(error)}</p>
      </div>
      {retry && <Button onClick={retry}>Try again</Button>}
    </div>
  );
}

export function Badge({ tone = 'neutral', children, title }: { tone?: 'neutral' | 'low' | 'medium' | 'high' | 'info' | 'success' | 'danger' | 'warning'; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function Avatar({ name, size = 24 }: { name: string | null | undefined; size?: number }) {
  const text = (name ?? '?').split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';
  // A stable colour per name.
  let hash = 0;
  for (const ch of name ?? '') hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return (
    <span className={`avatar avatar-${hash % 6}`} style={{ width: size, height: size, fontSize: size * 0.42 }} aria-hidden="true">
      {text}
    </span>
  );
}

/** A modal dialog: focus moves in, Escape or Cancel closes it, the page behind is inert. */
export function Dialog({ open, title, onClose, children, footer, wide }: { open: boolean; title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className={`dialog${wide ? ' dialog-wide' : ''}`} aria-labelledby={titleId} onClose={onClose} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      {open && (
        <>
          <header className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <IconButton icon="close" label="Close" onClick={onClose} />
          </header>
          <div className="dialog-body">{children}</div>
          {footer && <footer className="dialog-footer">{footer}</footer>}
        </>
      )}
    </dialog>
  );
}

// ---- toasts ----

interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'error' | 'success';
  action?: { label: string; run: () => void };
}

const ToastContext = createContext<(text: string, tone?: Toast['tone'], action?: Toast['action']) => void>(() => {});

export const useToast = () => useContext(ToastContext);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const push = useCallback((text: string, tone: Toast['tone'] = 'info', action?: Toast['action']) => {
    const id = ++next.current;
    setToasts((list) => [...list.slice(-3), { id, text, tone, action }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), tone === 'error' ? 9000 : 5000);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div className="toasts" aria-live="polite" aria-relevant="additions">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'}>
            <span>{t.text}</span>
            {t.action && (
              <button type="button" className="toast-action" onClick={() => { t.action!.run(); setToasts((list) => list.filter((x) => x.id !== t.id)); }}>
                {t.action.label}
              </button>
            )}
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => setToasts((list) => list.filter((x) => x.id !== t.id))}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

// ---- form fields ----

export function Field({ label, hint, error, children }: { label: string; hint?: ReactNode; error?: string | null; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {hint && <div className="field-hint" id={hintId}>{hint}</div>}
      {error && <div className="field-error" id={errorId} role="alert">{error}</div>}
    </div>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

/** While a page (or the whole app) loads: its shape, not a spinner. */
export function PageSkeleton({ full }: { full?: boolean }) {
  return (
    <div className={full ? 'auth' : 'page'} aria-busy="true">
      <span className="sr-only" role="status">Loading…</span>
      <div className="skeleton skeleton-title" />
      <Skeleton lines={6} height={18} />
    </div>
  );
}
