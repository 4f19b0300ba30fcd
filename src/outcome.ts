// SPDX-License-Identifier: GPL-3.0-or-later
// A value, or why there is none: the one shape of every lookup whose failure a user is told about.

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = (reason: string): Outcome<never> => ({ ok: false, reason });

/** The value, or undefined: where a missing one needs no explanation. */
export const valueOf = <T>(outcome: Outcome<T>): T | undefined => (outcome.ok ? outcome.value : undefined);
