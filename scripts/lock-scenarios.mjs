// Records each scenario preset's values under id@version in src/widgets/scenarios.lock.json. Never rewrites an
// entry: a preset whose values changed must raise its version, and the old entry stays as its history.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const dir = new URL('../content/scenarios/', import.meta.url);
const lockFile = new URL('../src/widgets/scenarios.lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
let added = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  const data = parse(readFileSync(new URL(file, dir), 'utf8'));
  const key = `${file.replace(/\.yaml$/, '')}@${data.version}`;
  const params = Object.fromEntries(Object.entries(data.params).map(([k, v]) => [k, String(v)]));
  if (lock[key]) {
    if (JSON.stringify(lock[key].params) !== JSON.stringify(params)) console.error(`${key}: values changed; raise its version`);
    continue;
  }
  lock[key] = { widget: data.widget, params };
  added++;
}
const sorted = Object.fromEntries(Object.entries(lock).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(lockFile, JSON.stringify(sorted, null, 2) + '\n');
console.log(`${added} preset version(s) locked; ${Object.keys(sorted).length} in all`);
