// Search by example, the page's side: the query on screen (a drawing, a gallery image, a
// neighbour) is asked again as training moves the display set, so its neighbours follow the
// encoder; a newer query replaces an older one in the worker. With "Use as anchor", the answer's
// batch (row 0 is the query) is what the anchor panels show.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Command, QueryResult, QuerySource, Ready } from '../protocol';
import { setPlayground } from './playgroundStore';

/** Least time between two re-askings of a shown query as training moves on. */
const REQUERY_MS = 2000;

interface Options {
  send: (cmd: Command) => void;
  /** The step of the display set on screen: a newer one asks the query again. */
  displayStep: number | undefined;
  /** A new engine (another dataset, model or seed) drops the query. */
  ready: Ready | null;
  result: QueryResult | null | undefined;
}

export function useSearchByExample({ send, displayStep, ready, result }: Options) {
  const [query, setQuery] = useState<{ source: QuerySource; label: string } | null>(null);
  const [asAnchor, setAsAnchor] = useState(false);
  const queryId = useRef(0);
  const lastQueryAt = useRef(0);
  const sendQuery = useCallback(
    (source: QuerySource, anchor: boolean) => {
      lastQueryAt.current = performance.now();
      send({ type: 'query', id: ++queryId.current, source, anchor });
    },
    [send],
  );
  const runQuery = useCallback(
    (source: QuerySource, label: string) => {
      setQuery({ source, label });
      sendQuery(source, asAnchor);
    },
    [sendQuery, asAnchor],
  );
  // Each answer re-embeds the held-out set, so while training it is asked at most every
  // REQUERY_MS (the last display set of a pause is still answered, after the wait).
  const shownQuery = useRef(query);
  shownQuery.current = query;
  useEffect(() => {
    if (!shownQuery.current || displayStep === undefined) return;
    // The query shown when the timer fires: a drawing made meanwhile must not be replaced by an older one.
    const t = setTimeout(
      () => {
        if (shownQuery.current) sendQuery(shownQuery.current.source, asAnchor);
      },
      Math.max(0, REQUERY_MS - (performance.now() - lastQueryAt.current)),
    );
    return () => clearTimeout(t);
  }, [displayStep, asAnchor, sendQuery]);
  useEffect(() => {
    setQuery(null);
    setAsAnchor(false);
  }, [ready]);
  const chooseAnchor = useCallback(
    (on: boolean) => {
      setAsAnchor(on);
      if (on) setPlayground({ anchor: 0 });
      if (shownQuery.current) sendQuery(shownQuery.current.source, on);
    },
    [sendQuery],
  );
  const queryAnchor = asAnchor ? (result?.anchor ?? null) : null;
  return { query, asAnchor, runQuery, chooseAnchor, queryAnchor };
}
