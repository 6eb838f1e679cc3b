import { useEffect, useId, useRef, useState, type ReactNode, type AnchorHTMLAttributes } from 'react';
import { navigate, navigated } from './router';
import { ApiError } from './api';

/** An internal link: a real <a href> (keyboard, middle click) that navigates without reload. */
export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a
      href={to}
      {...rest}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError ? error.message : 'Terjadi kesalahan yang tidak terduga.';
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}

export function Field({ label, children, hint }: { label: string; hint?: string; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

export function TextField(props: { label: string; value: string; onChange: (v: string) => void; type?: string; required?: boolean; hint?: string; autoComplete?: string; name?: string }) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id, d) => (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value}
          required={props.required}
          aria-describedby={d}
          autoComplete={props.autoComplete ?? 'off'}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function TextArea(props: { label: string; value: string; onChange: (v: string) => void; required?: boolean; rows?: number }) {
  return (
    <Field label={props.label}>
      {(id) => <textarea id={id} rows={props.rows ?? 4} value={props.value} required={props.required} onChange={(e) => props.onChange(e.target.value)} />}
    </Field>
  );
}

export function Select<T extends string>(props: { label: string; value: T | ''; options: Array<[T, string]>; onChange: (v: T | '') => void; empty?: string; required?: boolean }) {
  return (
    <Field label={props.label}>
      {(id) => (
        <select id={id} value={props.value} required={props.required} onChange={(e) => props.onChange(e.target.value as T | '')}>
          {props.empty !== undefined && <option value="">{props.empty}</option>}
          {props.options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}

/** Runs an async action with a busy flag and the error to show. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn(...args);
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

/** Loads data on mount and when `deps` change; `reload` loads again. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    fn().then(
      (d) => live && setData(d),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((t) => t + 1), setData };
}

/** The page's heading and document title; after moving between pages it takes the focus (screen readers announce the new page). */
export function PageTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${typeof children === 'string' ? children : 'Loket'} – Loket`;
  }, [children]);
  useEffect(() => {
    if (navigated()) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}
