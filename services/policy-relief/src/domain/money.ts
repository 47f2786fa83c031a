/**
 * Money is integer fen (1 yuan = 100 fen) everywhere: in commands, events and
 * sums. Never a floating-point number, so no sum ever drifts by a fen.
 */

/** True for a whole, non-negative, exactly representable number of fen. */
export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** `7200000` → `¥72,000.00`: for reasons people read. */
export function yuan(fen: number): string {
  const whole = Math.floor(fen / 100).toLocaleString('en-US');
  return `¥${whole}.${String(fen % 100).padStart(2, '0')}`;
}
