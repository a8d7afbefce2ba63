import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError } from '../../../shared/api/client';
import { type Comments, saveDraftComments } from './api-review';

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

const DEBOUNCE_MS = 800;

/**
 * The reviewer's 修改意见 per section, saved as a draft on the server ~800 ms after typing stops so a
 * closed tab or a second reviewer's visit finds them. Saves run one after another (never two PUTs racing),
 * each sending the latest text.
 */
export function useCommentDrafts(id: string, initial: Comments, editable: boolean) {
  const [comments, setComments] = useState<Comments>(initial);
  const [state, setState] = useState<SaveState>('idle');
  const [error, setError] = useState<string | null>(null);
  // Sections typed in on this visit: the ones whose box says 已暂存.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const latest = useRef(initial);
  const version = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  // Once the application is decided the drafts are gone on the server; nothing more may be sent.
  const stopped = useRef(!editable);

  const save = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    if (stopped.current) return chain.current;
    setState('saving');
    chain.current = chain.current.then(async () => {
      if (stopped.current) return;
      const v = version.current;
      try {
        await saveDraftComments(id, latest.current);
        if (v === version.current) {
          setState('saved');
          setError(null);
        }
      } catch (err) {
        if (v === version.current) {
          setState('error');
          setError(toApiError(err).message);
        }
      }
    });
    return chain.current;
  }, [id]);

  const change = useCallback(
    (sectionId: string, text: string) => {
      latest.current = { ...latest.current, [sectionId]: text };
      version.current += 1;
      setComments(latest.current);
      setTouched((t) => (t.has(sectionId) ? t : new Set(t).add(sectionId)));
      setState('pending');
      clearTimeout(timer.current);
      timer.current = setTimeout(save, DEBOUNCE_MS);
    },
    [save],
  );

  /** Before a decision: no timer left behind, and no save still on its way to land after it. */
  const settle = useCallback(async () => {
    clearTimeout(timer.current);
    timer.current = undefined;
    await chain.current;
  }, []);

  const stop = useCallback(() => {
    stopped.current = true;
    clearTimeout(timer.current);
  }, []);

  // Leaving the page within the debounce still keeps what was typed.
  useEffect(
    () => () => {
      if (timer.current !== undefined && !stopped.current) {
        clearTimeout(timer.current);
        saveDraftComments(id, latest.current).catch(() => undefined);
      }
    },
    [id],
  );

  // Closing the tab is the one way to lose a keystroke: the browser asks first.
  useEffect(() => {
    if (state !== 'pending' && state !== 'saving') return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [state]);

  const commented = Object.keys(comments).filter((k) => comments[k]?.trim());
  return { comments, commented, touched, state, error, change, retry: save, settle, stop };
}
