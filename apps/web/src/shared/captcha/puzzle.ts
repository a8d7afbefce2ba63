import { api } from '../api/client';

/** A slider puzzle as POST /api/captchas/slider answers it (valid 5 minutes on the server). */
export interface Puzzle {
  id: string;
  background: string;
  piece: string;
  width: number;
  height: number;
  pieceSize: number;
  pieceY: number;
}

/** A puzzle asked for before the login page's code arrived is used if the page mounts within this time. */
const EARLY_FOR_MS = 30_000;
let early: { at: number; puzzle: Promise<Puzzle> } | null = null;

/**
 * Asks for the login page's puzzle while the page's code is still loading (each app's main.tsx, on /login). On a
 * slow phone the puzzle is the largest picture of the page and was requested only after the page had loaded and
 * rendered: about a second later on a 4G connection.
 */
export function requestPuzzleEarly(): void {
  const puzzle = api.post<Puzzle>('/api/captchas/slider');
  puzzle.catch(() => undefined); // answered (or failed) where it is taken; never an unhandled rejection
  early = { at: Date.now(), puzzle };
}

/** A new puzzle: the one asked for early, once, if it is recent; otherwise asked now. */
export function fetchPuzzle(): Promise<Puzzle> {
  const taken = early;
  early = null;
  if (taken && Date.now() - taken.at < EARLY_FOR_MS) return taken.puzzle;
  return api.post<Puzzle>('/api/captchas/slider');
}
