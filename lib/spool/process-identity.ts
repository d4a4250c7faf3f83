import { readFileSync } from 'node:fs';

/**
 * What tells one process from a later one that got the same pid, on Linux: the boot it runs in
 * and its start time in clock ticks since that boot. Both come from the kernel, so a wall-clock
 * change (NTP stepping the clock after boot) cannot make a live process look like another one.
 */
export interface ProcessIdentity {
  bootId: string;
  startTicks: number;
}

/** `pid`'s identity from `/proc`; undefined where there is no `/proc` or it does not show that process. */
export function processIdentity(pid: number | 'self', procRoot = '/proc'): ProcessIdentity | undefined {
  try {
    const bootId = readFileSync(`${procRoot}/sys/kernel/random/boot_id`, 'utf8').trim();
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    // The command name in parentheses may itself hold spaces and parentheses, so fields are
    // counted from the last ')'. `starttime` is field 22 of the line: the 20th after the name.
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return bootId !== '' && Number.isSafeInteger(startTicks) ? { bootId, startTicks } : undefined;
  } catch {
    return undefined;
  }
}
