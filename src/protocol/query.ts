// The page-worker contract for the user's own images and search by example.

import type { Snapshot, ViewPairs } from './index';

export interface UserDataCommand {
  type: 'userData';
  /** count * 32 * 32 * 3 bytes (core/imagePixels), in the order of `labels`. */
  pixels: Uint8Array;
  labels: Int32Array;
  classNames: string[];
}

/** What to search with: a dataset image (by index), or bytes in any size (converted to the dataset's format). */
export type QuerySource =
  | { kind: 'index'; index: number }
  | { kind: 'pixels'; height: number; width: number; channels: 1 | 3; pixels: Uint8Array };

export interface QueryCommand {
  type: 'query';
  /** Echoed in the answer, so the page knows which request it answers. */
  id: number;
  source: QuerySource;
  /** Also build a batch with the query as its first image (anchor row 0, positive row n). */
  anchor?: boolean;
}

/** The nearest held-out images in one space (h or z), most similar first. */
export interface QueryNeighbours {
  indices: Int32Array;
  similarities: Float32Array;
  /** Each neighbour's name for alt text ("digit 1", "red star", a user's class). */
  labels: string[];
  /** The neighbours' images, in the dataset's format, one after another. */
  pixels: Uint8Array;
}

export interface QueryResult {
  type: 'queryResult';
  id: number;
  step: number;
  height: number;
  width: number;
  channels: number;
  /** The query as the encoder saw it (the dataset's format). */
  query: Uint8Array;
  /** The query's projection z, L2-normalised, to mark it in the embedding view. */
  z: Float32Array;
  h: QueryNeighbours;
  zNeighbours: QueryNeighbours;
  /** With `anchor`: a batch whose first image is the query (label -1), as a snapshot carries one. */
  anchor: { batch: NonNullable<Snapshot['batch']>; views: ViewPairs } | null;
}
