// Fails when a relative link in the repository's Markdown points nowhere: every README, docs/
// page, interop and bench note. A link to a file needs the file; to a heading (`file.md#anchor` or
// `#anchor`) also needs the heading, slugged as GitHub and TypeDoc slug them. External links
// (http:, https:, mailto:) are not fetched.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !file.includes('node_modules/') && !file.startsWith('docs/api/') && !file.startsWith('.changeset/'));

/** GitHub's heading slug: lower case, punctuation dropped, spaces to dashes. */
function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[`*~[\]()]/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorsCache = new Map();
function anchorsOf(file) {
  if (!anchorsCache.has(file)) {
    const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
    const counts = new Map();
    const anchors = new Set();
    for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
      const base = slug(heading);
      const seen = counts.get(base) ?? 0;
      counts.set(base, seen + 1);
      anchors.add(seen === 0 ? base : `${base}-${seen}`);
    }
    for (const [, id] of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(id);
    anchorsCache.set(file, anchors);
  }
  return anchorsCache.get(file);
}

const broken = [];
for (const file of files) {
  const path = join(root, file);
  if (!existsSync(path)) continue;
  // Code blocks and inline code are examples, not links.
  const text = readFileSync(path, 'utf8').replace(/^ *```[\s\S]*?^ *```/gm, '').replace(/`[^`\n]*`/g, '');
  for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [rawPath, anchor] = target.split('#');
    const linked = rawPath === '' ? path : resolve(dirname(path), decodeURIComponent(rawPath));
    if (!existsSync(linked)) {
      broken.push(`${file}: ${target} (no ${relative(root, linked)})`);
      continue;
    }
    if (anchor && linked.endsWith('.md') && statSync(linked).isFile() && !anchorsOf(linked).has(anchor.toLowerCase())) {
      broken.push(`${file}: ${target} (no heading #${anchor} in ${relative(root, linked)})`);
    }
  }
}

if (broken.length > 0) {
  console.error(`${broken.length} broken link(s) in Markdown:\n  ${broken.join('\n  ')}`);
  process.exit(1);
}
console.log(`links: ${files.length} Markdown files, every relative link resolves`);
