/** An instant as the city's officials write it: ISO-8601 in Asia/Shanghai (UTC+8, no daylight saving). */
export function cityTimestamp(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000);
  return `${local.toISOString().slice(0, 19)}+08:00`;
}
