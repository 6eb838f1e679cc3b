import { useEffect, useState } from 'react';

/** A tiny history router: the console's pages are a handful of paths. */
const listeners = new Set<() => void>();

let moved = false;

/** True once the console moved from one page to another (then a new page's heading takes the focus). */
export function navigated(): boolean {
  return moved;
}

export function navigate(to: string, replace = false): void {
  moved = true;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const l of listeners) l();
}

window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const l = () => setPath(location.pathname);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return path;
}
