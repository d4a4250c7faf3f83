// Number formatting shared by the tables.
export const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
export const fixed = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
export const mib = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : '—');
export const ratio = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '—');
export const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const sum = (values) => values.reduce((a, b) => a + b, 0);
export const bytesText = (bytes) =>
  !Number.isFinite(bytes) ? '—' : bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
