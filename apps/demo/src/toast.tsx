import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** One toast: a `gr.Info` / `gr.Warning` / `gr.Success` message (or any app message). */
export interface Toast {
  level: string;
  message: string;
  title?: string | null;
  /** Seconds before it disappears; `null` = until dismissed. */
  duration?: number | null;
}

type Shown = Toast & { id: number };

const ToastContext = createContext<(toast: Toast) => void>(() => {});

/** Returns `push(toast)`, which shows a toast in the corner of the page. */
export const useToast = () => useContext(ToastContext);

/** Holds the toasts of the page and renders them (as text only) in a live region. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Shown[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback((toast: Toast) => {
    setToasts((all) => [...all.slice(-4), { ...toast, id: Math.random() }]);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <section className="toasts" aria-label="Notifications">
        {toasts.map((t) => (
          <ToastView key={t.id} toast={t} onDismiss={dismiss} />
        ))}
      </section>
    </ToastContext.Provider>
  );
}

function ToastView({ toast, onDismiss }: { toast: Shown; onDismiss: (id: number) => void }) {
  const { id, duration = 10, level, title, message } = toast;
  useEffect(() => {
    if (duration === null) return;
    const timer = setTimeout(() => onDismiss(id), Math.max(duration, 2) * 1000);
    return () => clearTimeout(timer);
  }, [id, duration, onDismiss]);
  const heading = useMemo(() => title || { info: 'Info', warning: 'Warning', success: 'Success', error: 'Error' }[level] || level, [title, level]);
  return (
    <div className={`toast toast-${level}`} role={level === 'warning' || level === 'error' ? 'alert' : 'status'} data-testid="toast" data-level={level}>
      <span className="toast-icon" aria-hidden="true">{level === 'warning' ? '!' : level === 'error' ? '×' : level === 'success' ? '✓' : 'i'}</span>
      <div className="toast-body">
        <strong>{heading}</strong>
        <p>{message}</p>
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => onDismiss(id)}>
        ×
      </button>
    </div>
  );
}
