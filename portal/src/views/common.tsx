import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import type { Bilingual, StatusLabel } from '../lib/labels.js';

/** Chinese first, the English beside it marked as English. */
export function Bi({ text }: { text: Bilingual }) {
  return (
    <>
      {text.zh}
      {text.en && (
        <>
          {' '}
          <span class="en" lang="en">
            {text.en}
          </span>
        </>
      )}
    </>
  );
}

/** A table's head: one column heading per name. */
/** What a cell is, for a table reflowed into lines on a narrow screen (the `reflow` class): its column's name. */
export const cellLabel = (name: Bilingual | undefined) => (name ? `${name.zh} ${name.en}` : undefined);

export function Columns({ names }: { names: Bilingual[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th scope="col" key={name.en}>
            <Bi text={name} />
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A status in words and a mark, the colour (from its class) only a third cue. */
export function Status({ label, kind }: { label: StatusLabel; kind: string }) {
  return (
    <span class={`status status-${kind}`}>
      <span aria-hidden="true">{label.mark}</span> <Bi text={label} />
    </span>
  );
}

/** A table that scrolls inside its own box on a narrow screen, rather than widening the page. */
export function Scroll({ children, label }: { children: ComponentChildren; label: string }) {
  return (
    <div class="scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  const known = error instanceof ApiError;
  return (
    <p class="error" role="alert" data-code={known ? error.code : undefined}>
      {known ? error.message : '出现意外错误，请刷新页面 Something went wrong: reload the page'}
      {known && error.code && <code class="code">{error.code}</code>}
    </p>
  );
}

export type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: unknown };

/** What an asynchronous read gave, read again whenever one of `keys` changes; a stale answer is dropped. */
export function useLoad<T>(read: () => Promise<T>, keys: readonly unknown[]): Load<T> {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoad({ state: 'loading' });
    read().then(
      (value) => current && setLoad({ state: 'ready', value }),
      (error: unknown) => current && setLoad({ state: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, keys);
  return load;
}

export const LOADING: Bilingual = { zh: '正在读取…', en: 'Loading…' };

/** The loading note, the error, or what the read gave. */
export function Loaded<T>({ load, children }: { load: Load<T>; children: (value: T) => ComponentChildren }) {
  if (load.state === 'loading') return <p class="muted"><Bi text={LOADING} /></p>;
  if (load.state === 'failed') return <ErrorNote error={load.error} />;
  return <>{children(load.value)}</>;
}
