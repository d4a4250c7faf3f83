// Target lines under a table: what was asked, what was measured, met or not.
export function targetLine(met, text) {
  return `- ${met === undefined ? '➖' : met ? '✅' : '❌'} ${text}`;
}
