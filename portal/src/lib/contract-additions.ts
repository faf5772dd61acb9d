import type { MonthView, SnapshotResponse } from '../../../shared/portal/contract.js';
import type { MonthState, Restatement, SignOff } from '../../../shared/review/review.js';
import type { SnapshotIndicator } from '../../../shared/snapshot/snapshot.js';

/*
 * Fields issue 13 adds to the months list and the snapshot answer, written meanwhile on the api and snapshot branches.
 * Optional here so that the page builds before and after they land; once the contract has them, each intersection is
 * the contract's own type, and this file goes.
 */

export type MonthRow = MonthView & { state?: MonthState; returnedReason?: string | null };

export type SignedIndicator = SnapshotIndicator & { signOff?: SignOff | null; explanation?: string | null };

export type SignedSnapshot = Omit<SnapshotResponse, 'progress'> & { progress: SignedIndicator[]; restatements?: Restatement[] };
