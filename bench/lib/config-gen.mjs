// Generated chatstate configs for benchmarks and tests: `instances` GREEN-API instances, each
// keeping `kept` exact contact ids. `flow`: one line per instance (`keep: [a, b, …]`, about 18
// bytes an id: 1,000 × 400 ids is 7.7 MB); otherwise block style, one quoted id per line.
export const contactId = (i, j) => `7${String(i).padStart(4, '0')}${String(j).padStart(6, '0')}@c.us`;
export const instanceId = (i) => 1101000001 + i;

export function bigConfig(instances, kept, { flow = true } = {}) {
  const lines = ['version: 1', 'green-api:', '  main:', '    instances:'];
  for (let i = 0; i < instances; i++) {
    lines.push(`      ${instanceId(i)}:`, '        token: ${T}');
    if (flow) {
      const ids = [];
      for (let j = 0; j < kept; j++) ids.push(contactId(i, j));
      lines.push(`        contacts: { prune: true, keep: [${ids.join(', ')}] }`);
    } else {
      lines.push('        contacts:', '          prune: true', '          keep:');
      for (let j = 0; j < kept; j++) lines.push(`            - "${contactId(i, j)}" # contact ${j}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
