/**
 * What the table generators (generate-venue-tables.mjs, generate-protocol-tables.mjs) share: read every YAML file
 * of a content folder into a preset, fail with the file named, and write the generated module or, with --check,
 * exit 1 when it is out of date. Each generator keeps only what differs: the fields it reads and how it renders them.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Stops the generator with the file and the problem, as a build error names them. */
export function failIn(folder) {
  return (file, message) => {
    console.error(`${folder}/${file}: ${message}`);
    process.exit(1);
  };
}

/** A quoted YAML value that must be a non-empty string; numbers stay decimal strings, never floats. */
export function textReader(fail, file) {
  return (value, field) => {
    if (typeof value !== 'string' || value.trim() === '') fail(file, `${field} must be a non-empty string (quoted in YAML)`);
    return value;
  };
}

/** Every `<id>.yaml` of `folder` (a project-relative path such as 'content/venues'), read by `presetFromYaml`. */
export function readPresets(folder, presetFromYaml, fail) {
  const dir = new URL(`../../${folder}/`, import.meta.url);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const preset = presetFromYaml(file, parse(readFileSync(new URL(file, dir), 'utf8')));
      if (`${preset.id}.yaml` !== file) fail(file, `its id '${preset.id}' must be its file name`);
      return preset;
    });
}

/** Writes `output` to `target` (project-relative), or with --check exits 1 if the file differs. */
export function writeOrCheck(target, output, generator, count) {
  const url = new URL(`../../${target}`, import.meta.url);
  if (process.argv.includes('--check')) {
    if (readFileSync(url, 'utf8') !== output) {
      console.error(`${target} is out of date: run node_modules/.bin/node scripts/${generator}`);
      process.exit(1);
    }
    console.log(`${target} up to date (${count} presets)`);
  } else {
    writeFileSync(url, output);
    console.log(`wrote ${target} (${count} presets)`);
  }
}
