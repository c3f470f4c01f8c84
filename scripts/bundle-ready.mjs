// prepack: npm pack stores a hard-linked file once and the rest as tar "link" entries, and npm install
// drops link entries. node-gyp hard-links build/Release/better_sqlite3.node to obj.target/; which of the
// two is stored as the file depends on the filesystem's directory order, so on some machines the
// installed lpsync had no better-sqlite3 binary. Copying every hard-linked file under node_modules
// into a file of its own makes the tarball the same whatever the order.
import { copyFileSync, lstatSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

function unlinkHardLinks(dir) {
  let copied = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copied += unlinkHardLinks(path);
    else if (entry.isFile() && lstatSync(path).nlink > 1) {
      const copy = `${path}.bundle-ready`;
      copyFileSync(path, copy);
      renameSync(copy, path);
      copied += 1;
    }
  }
  return copied;
}

const root = process.argv[2] ?? 'node_modules';
const copied = unlinkHardLinks(root);
if (copied > 0)
  console.log(`bundle-ready: ${copied} hard-linked file(s) under ${root} made files of their own`);
